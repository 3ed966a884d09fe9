import tensorflow as tf


class Conv2D(tf.Module):
    def __init__(self, kernel, bias, padding):
        super().__init__()
        self.kernel = tf.Variable(kernel)  # (kh, kw, in, out), tf.nn.conv2d's layout
        self.bias = tf.Variable(bias)
        self.padding = padding

    def __call__(self, x):
        return tf.nn.relu(
            tf.nn.conv2d(x, self.kernel, strides=1, padding=self.padding) + self.bias
        )


class Dense(tf.Module):
    def __init__(self, weights, bias):
        super().__init__()
        self.w = tf.Variable(weights)
        self.b = tf.Variable(bias)

    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class ConvNet(tf.Module):
    def __init__(self, conv1, conv2, dense):
        super().__init__()
        self.conv1, self.conv2, self.dense = conv1, conv2, dense

    def __call__(self, x):
        x = tf.nn.max_pool2d(self.conv1(x), ksize=2, strides=2, padding="VALID")
        x = self.conv2(x)
        x = tf.reduce_mean(x, axis=[1, 2])  # global average pool over height and width
        return self.dense(x)


def setup(inputs, device):
    # Layers take their initial values from the shared weights, as tf.Variable always needs one.
    model = ConvNet(
        Conv2D(inputs["conv1_kernel"], inputs["conv1_bias"], padding="SAME"),
        Conv2D(inputs["conv2_kernel"], inputs["conv2_bias"], padding="VALID"),
        Dense(inputs["dense_kernel"], inputs["dense_bias"]),
    )
    return {
        "model": model,
        "images": tf.constant(inputs["images"]),
        "labels": tf.constant(inputs["labels"]),
    }


def run(state):
    images = state["images"]
    with tf.GradientTape() as tape:
        tape.watch(images)  # a constant, not a variable: ask the tape to track it
        logits = state["model"](images)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(state["labels"], logits)
        )
    input_grad = tape.gradient(loss, images)
    return {"logits": logits, "loss": loss, "input_grad": input_grad}
