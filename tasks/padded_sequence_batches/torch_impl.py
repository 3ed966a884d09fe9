import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def collate_batch(batch):
    lengths = torch.tensor([len(seq) for seq in batch])
    tokens = pad_sequence(batch, batch_first=True, padding_value=0)
    return {"tokens": tokens, "lengths": lengths}


def setup(inputs, device):
    tokens = torch.from_numpy(inputs["tokens"]).to(device)
    sequences = torch.split(tokens, inputs["lengths"].tolist())
    return DataLoader(sequences, batch_size=32, shuffle=False, collate_fn=collate_batch)


def run(dataloader):
    return {"batches": [batch for batch in dataloader]}
