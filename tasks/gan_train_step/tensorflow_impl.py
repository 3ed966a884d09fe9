import tensorflow as tf

lr_d = 0.01
lr_g = 0.02
momentum = 0.5
batch_size = 16
epochs = 3


class GAN(tf.keras.Model):
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.d_loss_tracker = tf.keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = tf.keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile(jit_compile=False)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, data):
        real, noise = data
        batch = tf.shape(real)[0]
        # The generator runs once per batch; its tape keeps that forward pass for the generator step.
        with tf.GradientTape() as g_tape:
            generated = self.generator(noise)
            # Train the discriminator: real examples labelled 1, generated ones 0.
            with g_tape.stop_recording():
                with tf.GradientTape() as d_tape:
                    d_loss = self.loss_fn(
                        tf.ones((batch, 1)), self.discriminator(real)
                    ) + self.loss_fn(
                        tf.zeros((batch, 1)), self.discriminator(generated)
                    )
                grads = d_tape.gradient(d_loss, self.discriminator.trainable_weights)
                self.d_optimizer.apply(grads, self.discriminator.trainable_weights)

            # Train the generator through the updated discriminator (its weights are not updated here).
            predictions = self.discriminator(generated)
            g_loss = self.loss_fn(tf.ones((batch, 1)), predictions)
        grads = g_tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply(grads, self.generator.trainable_weights)

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {
            "d_loss": self.d_loss_tracker.result(),
            "g_loss": self.g_loss_tracker.result(),
        }


def setup(inputs, device):
    d_z, hidden = inputs["g_w1"].shape
    d_x = inputs["real"].shape[1]
    generator = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_z,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(d_x),
        ],
        name="generator",
    )
    discriminator = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_x,)),
            tf.keras.layers.Dense(hidden),
            tf.keras.layers.LeakyReLU(negative_slope=0.2),
            tf.keras.layers.Dense(1),
        ],
        name="discriminator",
    )
    # easeval: glue-begin
    generator.set_weights([inputs[k] for k in ("g_w1", "g_b1", "g_w2", "g_b2")])
    discriminator.set_weights([inputs[k] for k in ("d_w1", "d_b1", "d_w2", "d_b2")])
    # easeval: glue-end
    gan = GAN(discriminator=discriminator, generator=generator)
    gan.compile(
        d_optimizer=tf.keras.optimizers.SGD(learning_rate=lr_d, momentum=momentum),
        g_optimizer=tf.keras.optimizers.SGD(learning_rate=lr_g, momentum=momentum),
        loss_fn=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    )
    dataset = tf.data.Dataset.from_tensor_slices((inputs["real"], inputs["z"])).batch(
        batch_size
    )
    return {"gan": gan, "dataset": dataset, "z_eval": tf.constant(inputs["z_eval"])}


def run(state):
    gan = state["gan"]
    history = gan.fit(state["dataset"], epochs=epochs, verbose=0)
    samples = gan.generator(state["z_eval"])
    return {
        "d_loss": history.history["d_loss"],
        "g_loss": history.history["g_loss"],
        "samples": samples,
    }
