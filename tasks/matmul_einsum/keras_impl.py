from keras import ops


def setup(inputs, device):
    return {name: ops.convert_to_tensor(array) for name, array in inputs.items()}


def run(t):
    product = ops.matmul(t["a"], t["b"])
    bilinear = ops.einsum("bi,ij,bj->b", t["x"], t["w"], t["y"])
    return {"product": product, "bilinear": bilinear}
