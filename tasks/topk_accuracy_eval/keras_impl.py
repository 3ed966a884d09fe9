import keras

BATCH_SIZE = 256


def setup(inputs, device):
    logits = keras.ops.convert_to_tensor(inputs["logits"])
    labels = keras.ops.convert_to_tensor(inputs["labels"])
    return logits, labels


def run(state):
    all_logits, all_labels = state
    top1_correct, top5_correct, n = [], [], 0
    for start in range(0, all_logits.shape[0], BATCH_SIZE):
        logits = all_logits[start : start + BATCH_SIZE]
        labels = all_labels[start : start + BATCH_SIZE]
        top1 = keras.ops.in_top_k(labels, logits, k=1)
        top5 = keras.ops.in_top_k(labels, logits, k=5)
        top1_correct.append(keras.ops.count_nonzero(top1))
        top5_correct.append(keras.ops.count_nonzero(top5))
        n += labels.shape[0]
    top1_correct = keras.ops.stack(top1_correct)
    top5_correct = keras.ops.stack(top5_correct)
    return {
        "top1_correct": top1_correct,
        "top5_correct": top5_correct,
        "top1_accuracy": keras.ops.cast(keras.ops.sum(top1_correct), "float32") / n,
        "top5_accuracy": keras.ops.cast(keras.ops.sum(top5_correct), "float32") / n,
    }
