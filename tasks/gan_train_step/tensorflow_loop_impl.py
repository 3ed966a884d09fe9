import tensorflow as tf

lr_d = 0.01
lr_g = 0.02
momentum = 0.5
batch_size = 16
epochs = 3

cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(tf.ones_like(real_output), real_output)
    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
    return real_loss + fake_loss


def generator_loss(fake_output):
    return cross_entropy(tf.ones_like(fake_output), fake_output)


def setup(inputs, device):
    d_z, hidden = inputs["g_w1"].shape
    d_x = inputs["real"].shape[1]
    generator = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_z,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(d_x),
        ]
    )
    discriminator = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_x,)),
            tf.keras.layers.Dense(hidden),
            tf.keras.layers.LeakyReLU(negative_slope=0.2),
            tf.keras.layers.Dense(1),
        ]
    )
    # easeval: glue-begin
    generator.set_weights([inputs[k] for k in ("g_w1", "g_b1", "g_w2", "g_b2")])
    discriminator.set_weights([inputs[k] for k in ("d_w1", "d_b1", "d_w2", "d_b2")])
    # easeval: glue-end
    return {
        "generator": generator,
        "discriminator": discriminator,
        "generator_optimizer": tf.keras.optimizers.SGD(
            learning_rate=lr_g, momentum=momentum
        ),
        "discriminator_optimizer": tf.keras.optimizers.SGD(
            learning_rate=lr_d, momentum=momentum
        ),
        "dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["real"], inputs["z"])
        ).batch(batch_size),
        "z_eval": tf.constant(inputs["z_eval"]),
    }


@tf.function
def train_step(
    generator,
    discriminator,
    generator_optimizer,
    discriminator_optimizer,
    images,
    noise,
):
    # The generator runs once per batch; its tape keeps that forward pass for the generator step.
    with tf.GradientTape() as gen_tape:
        generated_images = generator(noise, training=True)
        with gen_tape.stop_recording():
            with tf.GradientTape() as disc_tape:
                real_output = discriminator(images, training=True)
                fake_output = discriminator(generated_images, training=True)
                disc_loss = discriminator_loss(real_output, fake_output)
            gradients_of_discriminator = disc_tape.gradient(
                disc_loss, discriminator.trainable_variables
            )
            discriminator_optimizer.apply_gradients(
                zip(gradients_of_discriminator, discriminator.trainable_variables)
            )

        # The generator is trained through the discriminator just updated (alternating updates).
        fake_output = discriminator(generated_images, training=True)
        gen_loss = generator_loss(fake_output)
    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    generator_optimizer.apply_gradients(
        zip(gradients_of_generator, generator.trainable_variables)
    )
    return disc_loss, gen_loss


def run(state):
    generator, discriminator = state["generator"], state["discriminator"]
    d_history, g_history = [], []
    for epoch in range(epochs):
        d_losses, g_losses = [], []
        for image_batch, noise in state["dataset"]:
            disc_loss, gen_loss = train_step(
                generator,
                discriminator,
                state["generator_optimizer"],
                state["discriminator_optimizer"],
                image_batch,
                noise,
            )
            d_losses.append(disc_loss)
            g_losses.append(gen_loss)
        d_history.append(tf.reduce_mean(d_losses))
        g_history.append(tf.reduce_mean(g_losses))
    return {
        "d_loss": d_history,
        "g_loss": g_history,
        "samples": generator(state["z_eval"], training=False),
    }
