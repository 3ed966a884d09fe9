import tensorflow as tf


class Dense(tf.Module):
    def __init__(self, weights, bias, activation=tf.identity):
        super().__init__()
        self.w = tf.Variable(weights)
        self.b = tf.Variable(bias)
        self.activation = activation

    def __call__(self, x):
        return self.activation(tf.matmul(x, self.w) + self.b)


class LayerNorm(tf.Module):
    def __init__(self, gamma, beta, epsilon=1e-5):
        super().__init__()
        self.gamma = tf.Variable(gamma)
        self.beta = tf.Variable(beta)
        self.epsilon = epsilon

    def __call__(self, x):
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(
            variance + self.epsilon
        ) * self.gamma + self.beta


class SelfAttention(tf.Module):
    def __init__(self, query, key, value, output, num_heads):
        super().__init__()
        self.query, self.key, self.value, self.output = query, key, value, output
        self.num_heads = num_heads

    # (batch, length, d_model) -> (batch, heads, length, head_dim)
    def split_heads(self, x):
        batch, length = tf.shape(x)[0], tf.shape(x)[1]
        x = tf.reshape(x, (batch, length, self.num_heads, -1))
        return tf.transpose(x, [0, 2, 1, 3])

    def __call__(self, x):
        q, k, v = (
            self.split_heads(dense(x)) for dense in (self.query, self.key, self.value)
        )
        head_dim = tf.cast(tf.shape(q)[-1], x.dtype)
        weights = tf.nn.softmax(
            tf.matmul(q, k, transpose_b=True) / tf.sqrt(head_dim), axis=-1
        )
        context = tf.transpose(tf.matmul(weights, v), [0, 2, 1, 3])
        context = tf.reshape(context, tf.shape(x))
        return self.output(context)


class FeedForward(tf.Module):
    def __init__(self, dense1, dense2):
        super().__init__()
        self.dense1, self.dense2 = dense1, dense2

    def __call__(self, x):
        return self.dense2(self.dense1(x))


class EncoderBlock(tf.Module):
    def __init__(self, attention, norm1, ffn, norm2):
        super().__init__()
        self.attention, self.norm1, self.ffn, self.norm2 = attention, norm1, ffn, norm2

    def __call__(self, x):
        x = self.norm1(x + self.attention(x))
        return self.norm2(x + self.ffn(x))


def setup(inputs, device):
    # Layers take their initial values from the shared weights, as tf.Variable always needs one.
    w = inputs
    attention = SelfAttention(
        Dense(w["wq"], w["bq"]),
        Dense(w["wk"], w["bk"]),
        Dense(w["wv"], w["bv"]),
        Dense(w["wo"], w["bo"]),
        num_heads=int(w["heads"]),
    )
    ffn = FeedForward(
        Dense(w["ff1_w"], w["ff1_b"], activation=tf.nn.relu),
        Dense(w["ff2_w"], w["ff2_b"]),
    )
    block = EncoderBlock(
        attention,
        LayerNorm(w["ln1_gamma"], w["ln1_beta"]),
        ffn,
        LayerNorm(w["ln2_gamma"], w["ln2_beta"]),
    )
    return {"block": block, "x": tf.constant(inputs["x"])}


def run(state):
    return state["block"](state["x"])
