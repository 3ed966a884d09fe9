import keras
import tensorflow as tf

BATCH_SIZE = 100


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    model = keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(classes),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    dataset = tf.data.Dataset.from_tensor_slices((inputs["x"], inputs["labels"]))
    dataset = dataset.batch(BATCH_SIZE)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=None
    )
    loss_metric = keras.metrics.Mean()
    acc_metric = keras.metrics.SparseCategoricalAccuracy()

    @tf.function
    def test_step(x, y):
        logits = model(x, training=False)
        losses = loss_fn(y, logits)
        loss_metric.update_state(losses)
        acc_metric.update_state(y, logits)
        return tf.reduce_mean(losses)

    return dataset, test_step, loss_metric, acc_metric


def run(state):
    dataset, test_step, loss_metric, acc_metric = state
    loss_metric.reset_state()
    acc_metric.reset_state()
    batch_losses = [test_step(x, y) for x, y in dataset]
    return {
        "mean_cross_entropy": loss_metric.result(),
        "accuracy": acc_metric.result(),
        "batch_losses": tf.stack(batch_losses),
    }
