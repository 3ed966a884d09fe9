import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

lr_d = 0.01
lr_g = 0.02
momentum = 0.5
batch_size = 16
epochs = 3
real_label = 1.0
fake_label = 0.0


def setup(inputs, device):
    d_z, hidden = inputs["g_w1"].shape
    d_x = inputs["real"].shape[1]
    netG = nn.Sequential(nn.Linear(d_z, hidden), nn.ReLU(), nn.Linear(hidden, d_x))
    netD = nn.Sequential(
        nn.Linear(d_x, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1)
    )
    # easeval: glue-begin
    with torch.no_grad():
        for net, prefix in ((netG, "g"), (netD, "d")):
            net[0].weight.copy_(torch.from_numpy(inputs[f"{prefix}_w1"].T))
            net[0].bias.copy_(torch.from_numpy(inputs[f"{prefix}_b1"]))
            net[2].weight.copy_(torch.from_numpy(inputs[f"{prefix}_w2"].T))
            net[2].bias.copy_(torch.from_numpy(inputs[f"{prefix}_b2"]))
    # easeval: glue-end
    netG, netD = netG.to(device), netD.to(device)
    dataset = TensorDataset(
        torch.from_numpy(inputs["real"]), torch.from_numpy(inputs["z"])
    )
    return {
        "netG": netG,
        "netD": netD,
        "criterion": nn.BCEWithLogitsLoss(),
        "optimizerD": optim.SGD(netD.parameters(), lr=lr_d, momentum=momentum),
        "optimizerG": optim.SGD(netG.parameters(), lr=lr_g, momentum=momentum),
        "dataloader": DataLoader(dataset, batch_size=batch_size, shuffle=False),
        "z_eval": torch.from_numpy(inputs["z_eval"]).to(device),
        "device": device,
    }


def run(state):
    netG, netD, criterion = state["netG"], state["netD"], state["criterion"]
    optimizerD, optimizerG, device = (
        state["optimizerD"],
        state["optimizerG"],
        state["device"],
    )
    D_losses, G_losses = [], []
    for epoch in range(epochs):
        errD_total, errG_total = 0.0, 0.0
        for real, noise in state["dataloader"]:
            real, noise = real.to(device), noise.to(device)
            # (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
            netD.zero_grad()
            label = torch.full((real.size(0), 1), real_label, device=device)
            errD_real = criterion(netD(real), label)
            errD_real.backward()
            fake = netG(noise)
            label.fill_(fake_label)
            errD_fake = criterion(netD(fake.detach()), label)
            errD_fake.backward()
            optimizerD.step()
            # (2) Update G: maximize log(D(G(z))), through the updated D
            netG.zero_grad()
            label.fill_(real_label)
            errG = criterion(netD(fake), label)
            errG.backward()
            optimizerG.step()
            errD_total += (errD_real + errD_fake).item()
            errG_total += errG.item()
        D_losses.append(errD_total / len(state["dataloader"]))
        G_losses.append(errG_total / len(state["dataloader"]))
    with torch.no_grad():
        samples = netG(state["z_eval"])
    return {"d_loss": D_losses, "g_loss": G_losses, "samples": samples}
