// contracts/token.c (an ERC-20 in C, compiled for eBPF with clang-14) deployed through the node's RPC and used with viem and
// ethers' ContractFactory and Contract and the standard ERC-20 ABI JSON: reads, transfers, allowances, events,
// eth_getLogs, eth_getCode, and a failing transfer whose revert reason ethers decodes from the code-3 error.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { Contract, ContractFactory, Wallet, concat, getCreateAddress, hexlify, parseUnits, toBeHex, zeroPadValue } from "ethers";
import {
  BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, defineChain, erc20Abi, http, parseEventLogs,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startDevnet, tempDir } from "./lib/devnet.mjs";
import { CHAIN_ID, devKey, ethersProvider } from "./lib/chain.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repository = path.resolve(here, "../..");

/** The standard ERC-20 ABI, as wallets and block explorers use it (no Nexus-specific entries). */
const ERC20_ABI = [
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address owner) view returns (uint256)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transferFrom(address from, address to, uint256 amount) returns (bool)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
];

const SUPPLY = parseUnits("1000000", 18);

describe("an ERC-20 written in C, used through ethers and viem", { timeout: 120_000 }, () => {
  let node;
  let provider;
  let objectsDir;
  let object;
  let token;
  let owner;
  let deployReceipt;

  before(async () => {
    objectsDir = await tempDir("contracts");
    await promisify(execFile)(path.join(repository, "contracts", "build-contracts.sh"), [objectsDir.dir]);
    object = await readFile(path.join(objectsDir.dir, "token.o"));
    node = await startDevnet();
    provider = ethersProvider(node.url);
    owner = new Wallet(devKey(3), provider);

    // The creation data: a 4-byte length of the object, the object, then the constructor arguments (appended by ethers).
    const prefix = toBeHex(object.length, 4);
    const factory = new ContractFactory(["constructor(uint256 initialSupply)", ...ERC20_ABI], concat([prefix, object]), owner);
    const deployed = await factory.deploy(SUPPLY);
    deployReceipt = await deployed.deploymentTransaction().wait();
    // From here on, only the standard ERC-20 ABI: what a wallet that never saw this contract would use.
    token = new Contract(await deployed.getAddress(), ERC20_ABI, owner);
  });

  after(async () => {
    provider?.destroy();
    await objectsDir?.remove();
    if (node) assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
  });

  it("deploys at Ethereum's creation address with the object as its code and mints to the deployer", async () => {
    const address = await token.getAddress();
    assert.equal(deployReceipt.status, 1);
    assert.equal(address, getCreateAddress({ from: owner.address, nonce: 0 }));
    assert.equal(deployReceipt.contractAddress, address);
    assert.equal(await provider.getCode(address), hexlify(object));

    const [mint] = deployReceipt.logs.map((log) => token.interface.parseLog(log));
    assert.equal(mint.name, "Transfer");
    assert.equal(mint.args.from, "0x0000000000000000000000000000000000000000");
    assert.equal(mint.args.to, owner.address);
    assert.equal(mint.args.value, SUPPLY);
  });

  it("answers the read-only ERC-20 functions through eth_call", async () => {
    assert.equal(await token.name(), "Nexus Token");
    assert.equal(await token.symbol(), "NXT");
    assert.equal(await token.decimals(), 18n);
    assert.equal(await token.totalSupply(), SUPPLY);
    assert.equal(await token.balanceOf(owner.address), SUPPLY);
    // Solidity's storage layout: balances is mapping slot 0, so the owner's balance is at keccak(owner . 0).
    const { keccak256 } = await import("ethers");
    const slot = keccak256(concat([zeroPadValue(owner.address, 32), zeroPadValue("0x00", 32)]));
    assert.equal(BigInt(await provider.getStorage(await token.getAddress(), slot)), SUPPLY);
  });

  it("transfers with an estimated gas limit, emits Transfer and finds it with eth_getLogs", async () => {
    const to = Wallet.createRandom().address;
    const amount = parseUnits("12.5", 18);
    const tx = await token.transfer(to, amount);
    const receipt = await tx.wait();

    assert.equal(receipt.status, 1);
    assert.ok(receipt.gasUsed <= tx.gasLimit);
    const [event] = receipt.logs.map((log) => token.interface.parseLog(log));
    assert.deepEqual([event.name, event.args.from, event.args.to, event.args.value], ["Transfer", owner.address, to, amount]);
    assert.equal(await token.balanceOf(to), amount);
    assert.equal(await token.balanceOf(owner.address), SUPPLY - amount);

    const found = await token.queryFilter(token.filters.Transfer(owner.address, to), receipt.blockNumber, receipt.blockNumber);
    assert.equal(found.length, 1);
    assert.equal(found[0].transactionHash, receipt.hash);
  });

  it("approves and lets the spender transferFrom within the allowance", async () => {
    const spender = new Wallet(devKey(4), provider);
    const to = Wallet.createRandom().address;
    const approval = await (await token.approve(spender.address, 1000n)).wait();
    const [event] = approval.logs.map((log) => token.interface.parseLog(log));
    assert.deepEqual([event.name, event.args.owner, event.args.spender, event.args.value], ["Approval", owner.address, spender.address, 1000n]);
    assert.equal(await token.allowance(owner.address, spender.address), 1000n);

    const asSpender = token.connect(spender);
    assert.equal((await (await asSpender.transferFrom(owner.address, to, 600n)).wait()).status, 1);
    assert.equal(await token.allowance(owner.address, spender.address), 400n);
    assert.equal(await token.balanceOf(to), 600n);
  });

  it("rejects a transfer beyond the balance with a revert reason that ethers decodes", async () => {
    const poor = new Wallet(devKey(5), provider);
    const asPoor = new Contract(await token.getAddress(), ERC20_ABI, poor);
    await assert.rejects(asPoor.transfer(owner.address, 1n), (error) => {
      assert.equal(error.code, "CALL_EXCEPTION");
      assert.equal(error.reason, "ERC20: transfer amount exceeds balance");
      assert.equal(error.revert?.name, "Error");
      assert.deepEqual([...error.revert.args], ["ERC20: transfer amount exceeds balance"]);
      return true;
    });
    await assert.rejects(token.transferFrom.staticCall(poor.address, owner.address, 1n), (error) => {
      assert.equal(error.reason, "ERC20: insufficient allowance");
      return true;
    });
  });

  it("works with viem's readContract, writeContract and simulateContract and its built-in erc20Abi", async () => {
    const chain = defineChain({
      id: CHAIN_ID, name: "NexusFast devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [node.url] } },
    });
    const account = privateKeyToAccount(devKey(3));
    const publicClient = createPublicClient({ chain, transport: http(), pollingInterval: 50 });
    const walletClient = createWalletClient({ account, chain, transport: http(), pollingInterval: 50 });
    const address = await token.getAddress();
    const to = privateKeyToAccount(devKey(7)).address;

    assert.equal(await publicClient.readContract({ address, abi: erc20Abi, functionName: "symbol" }), "NXT");
    assert.equal(await publicClient.readContract({ address, abi: erc20Abi, functionName: "decimals" }), 18);
    const before = await publicClient.readContract({ address, abi: erc20Abi, functionName: "balanceOf", args: [account.address] });

    const hash = await walletClient.writeContract({ address, abi: erc20Abi, functionName: "transfer", args: [to, 77n] });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    const [event] = parseEventLogs({ abi: erc20Abi, logs: receipt.logs });
    assert.equal(event.eventName, "Transfer");
    assert.deepEqual(event.args, { from: account.address, to, value: 77n });
    assert.equal(await publicClient.readContract({ address, abi: erc20Abi, functionName: "balanceOf", args: [account.address] }), before - 77n);

    const poor = privateKeyToAccount(devKey(8));
    await assert.rejects(
      publicClient.simulateContract({ account: poor, address, abi: erc20Abi, functionName: "transfer", args: [to, 1n] }),
      (error) => {
        assert.ok(error instanceof BaseError);
        const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
        assert.ok(reverted, `a ContractFunctionRevertedError inside ${error.message}`);
        assert.equal(reverted.reason, "ERC20: transfer amount exceeds balance");
        return true;
      });
  });

  it("mines a failing transfer sent with a fixed gas limit as status 0 and pays its gas", async () => {
    const poor = new Wallet(devKey(6), provider);
    const asPoor = new Contract(await token.getAddress(), ERC20_ABI, poor);
    const before = await provider.getBalance(poor.address);
    const tx = await asPoor.transfer(owner.address, 1n, { gasLimit: 100_000n });
    await assert.rejects(tx.wait(), (error) => error.code === "CALL_EXCEPTION" && error.receipt.status === 0);
    const receipt = await provider.getTransactionReceipt(tx.hash);
    assert.equal(receipt.logs.length, 0);
    assert.equal(await provider.getBalance(poor.address), before - receipt.gasUsed * receipt.gasPrice);
  });
});
