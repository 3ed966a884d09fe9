import tensorflow as tf

seed = 2024


def setup(inputs, device):
    return {"n": int(inputs["n"])}


def draw(n):
    generator = tf.random.Generator.from_seed(seed)
    return {
        "normal": generator.normal(shape=[n]),
        "uniform": generator.uniform(shape=[n]),
        "permutation": tf.random.experimental.stateless_shuffle(
            tf.range(n), seed=generator.make_seeds(1)[:, 0]
        ),
    }


def run(state):
    return {"first": draw(state["n"]), "second": draw(state["n"])}
