// The other sample contracts (contracts/multisig.c, dao.c, did.c, compiled for eBPF with clang-14) deployed through
// the node's RPC and driven with ethers' Contract and their ABIs, failure paths included; the DID registry is also
// resolved with nexus_resolveDid.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { Contract, ContractFactory, Wallet, concat, encodeBytes32String, toBeHex } from "ethers";
import { startDevnet, tempDir } from "./lib/devnet.mjs";
import { CHAIN_ID, devKey, ethersProvider } from "./lib/chain.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repository = path.resolve(here, "../..");

const MULTISIG_ABI = [
  "constructor(uint256 threshold, address[] owners)",
  "function submit(address to, uint256 value, bytes data) returns (uint256)",
  "function confirm(uint256 id)",
  "function revoke(uint256 id)",
  "function execute(uint256 id)",
  "function isOwner(address) view returns (bool)",
  "function threshold() view returns (uint256)",
  "function transactionCount() view returns (uint256)",
  "function getTransaction(uint256 id) view returns (address to, uint256 value, bool executed, uint256 confirmations)",
  "event Submission(uint256 indexed id)",
  "event Confirmation(address indexed owner, uint256 indexed id)",
  "event Execution(uint256 indexed id)",
  "event Deposit(address indexed sender, uint256 value)",
];

const ERC20_ABI = [
  "constructor(uint256 initialSupply)",
  "function balanceOf(address) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transfer(address to, uint256 amount) returns (bool)",
];

const DAO_ABI = [
  "constructor(address token, uint256 votingPeriod, uint256 executionDelay, uint256 quorum)",
  "function deposit(uint256 amount)",
  "function withdraw(uint256 amount)",
  "function propose(address target, uint256 value, bytes data) returns (uint256)",
  "function vote(uint256 id, bool support)",
  "function execute(uint256 id)",
  "function weightOf(address) view returns (uint256)",
  "function getProposal(uint256 id) view returns (address target, uint256 value, uint256 forVotes, uint256 againstVotes, uint256 votingEnd, bool executed)",
  "event ProposalCreated(uint256 indexed id, address indexed proposer)",
  "event Voted(uint256 indexed id, address indexed voter, bool support, uint256 weight)",
  "event ProposalExecuted(uint256 indexed id)",
];

const DID_ABI = [
  "function controllerOf(address identity) view returns (address)",
  "function changeController(address identity, address controller)",
  "function setAttribute(address identity, bytes32 name, bytes value)",
  "function getAttribute(address identity, bytes32 name) view returns (bytes)",
  "function deactivate(address identity)",
  "event DIDAttributeChanged(address indexed identity, bytes32 name, bytes value)",
];

/** Rejects with the Error(string) reason ethers decoded from the node's code-3 error. */
async function assertRevert(promise, reason) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, "CALL_EXCEPTION", error.message);
    assert.equal(error.reason, reason);
    return true;
  });
}

describe("multisig, DAO and DID registry in C, used through ethers", { timeout: 120_000 }, () => {
  let node;
  let provider;
  let objects;
  const objectsDir = {};

  /** ContractFactory bytecode for an object: its 4-byte length, then the object (contracts/README.md). */
  const bytecode = (name) => concat([toBeHex(objects[name].length, 4), objects[name]]);
  const deploy = async (name, abi, wallet, ...args) => {
    const contract = await new ContractFactory(abi, bytecode(name), wallet).deploy(...args);
    await contract.waitForDeployment();
    return contract;
  };

  before(async () => {
    Object.assign(objectsDir, await tempDir("samples"));
    await promisify(execFile)(path.join(repository, "contracts", "build-contracts.sh"), [objectsDir.dir]);
    objects = {};
    for (const name of ["token", "multisig", "dao", "did"]) objects[name] = await readFile(path.join(objectsDir.dir, `${name}.o`));
    node = await startDevnet();
    provider = ethersProvider(node.url);
  });

  after(async () => {
    provider?.destroy();
    await objectsDir.remove?.();
    if (node) assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
  });

  it("a 2-of-3 multisig pays out only after two owners confirmed", async () => {
    const [a, b, c] = [1, 2, 3].map((i) => new Wallet(devKey(i), provider));
    const wallet = await deploy("multisig", MULTISIG_ABI, a, 2, [a.address, b.address, c.address]);
    const address = await wallet.getAddress();
    assert.equal(await wallet.threshold(), 2n);
    assert.equal(await wallet.isOwner(c.address), true);

    await (await a.sendTransaction({ to: address, value: 1000n })).wait();
    const payee = Wallet.createRandom().address;
    const submitted = await (await wallet.submit(payee, 400n, "0x")).wait();
    assert.deepEqual(submitted.logs.map((log) => wallet.interface.parseLog(log).name), ["Submission", "Confirmation"]);

    await assertRevert(wallet.execute(0), "multisig: not enough confirmations");
    await assertRevert(wallet.connect(new Wallet(devKey(4), provider)).confirm(0), "multisig: not an owner");
    await (await wallet.connect(b).confirm(0)).wait();
    const executed = await (await wallet.connect(c).execute(0)).wait();
    assert.equal(wallet.interface.parseLog(executed.logs[0]).name, "Execution");
    assert.equal(await provider.getBalance(payee), 400n);
    const tx = await wallet.getTransaction(0);
    assert.deepEqual([tx.to, tx.value, tx.executed, tx.confirmations], [payee, 400n, true, 2n]);
    await assertRevert(wallet.execute(0), "multisig: already executed");
  });

  it("a DAO executes a proposal that token holders voted for once the delay has passed", async () => {
    const [alice, bob] = [5, 6].map((i) => new Wallet(devKey(i), provider));
    const token = await deploy("token", ERC20_ABI, alice, 1000n);
    // Voting period and delay in seconds of block time: automine stamps each block at least one second later.
    const dao = await deploy("dao", DAO_ABI, alice, await token.getAddress(), 20, 1, 400);
    const daoAddress = await dao.getAddress();
    await (await token.transfer(bob.address, 300n)).wait();
    await (await token.approve(daoAddress, 700n)).wait();
    await (await dao.deposit(700n)).wait();
    await (await token.connect(bob).approve(daoAddress, 300n)).wait();
    await (await dao.connect(bob).deposit(300n)).wait();
    assert.equal(await dao.weightOf(alice.address), 700n);
    await (await alice.sendTransaction({ to: daoAddress, value: 500n })).wait();

    const payee = Wallet.createRandom().address;
    await (await dao.propose(payee, 123n, "0x")).wait();
    const voted = await (await dao.vote(0, true)).wait();
    const event = dao.interface.parseLog(voted.logs[0]);
    assert.deepEqual([event.name, event.args.support, event.args.weight], ["Voted", true, 700n]);
    await (await dao.connect(bob).vote(0, false)).wait();
    await assertRevert(dao.vote(0, true), "dao: already voted");
    await assertRevert(dao.withdraw(1n), "dao: weight is locked by an open vote");

    const { votingEnd } = await dao.getProposal(0);
    // Advance block time with blocks of plain transfers until the delay after the vote has passed.
    while ((await provider.getBlock("latest")).timestamp < Number(votingEnd) + 1) {
      await (await bob.sendTransaction({ to: bob.address, value: 1n })).wait();
    }
    const executed = await (await dao.execute(0)).wait();
    assert.equal(dao.interface.parseLog(executed.logs[0]).name, "ProposalExecuted");
    assert.equal(await provider.getBalance(payee), 123n);
    await assertRevert(dao.execute(0), "dao: already executed");
  });

  it("a DID registry keeps attributes that nexus_resolveDid turns into a DID document", async () => {
    const owner = new Wallet(devKey(7), provider);
    const registryFactory = new ContractFactory(DID_ABI, bytecode("did"), owner);
    const registry = await registryFactory.deploy();
    await registry.waitForDeployment();
    const name = encodeBytes32String("svc/LinkedDomains");
    await (await registry.setAttribute(owner.address, name, new TextEncoder().encode("https://owner.example"))).wait();
    assert.equal(new TextDecoder().decode(Buffer.from((await registry.getAttribute(owner.address, name)).slice(2), "hex")), "https://owner.example");
    await assertRevert(registry.connect(new Wallet(devKey(8), provider)).setAttribute(owner.address, name, "0x01"),
      "did: caller is not the controller");

    const did = `did:nexus:${owner.address.toLowerCase()}`;
    const resolved = await provider.send("nexus_resolveDid", [did, await registry.getAddress()]);
    assert.equal(resolved.didDocument.id, did);
    assert.equal(resolved.didDocument.verificationMethod[0].blockchainAccountId, `eip155:${CHAIN_ID}:${owner.address.toLowerCase()}`);
    assert.deepEqual(resolved.didDocument.service, [{ id: `${did}#service-0`, type: "LinkedDomains", serviceEndpoint: "https://owner.example" }]);
    assert.equal(resolved.didDocumentMetadata.deactivated, false);

    await (await registry.deactivate(owner.address)).wait();
    const gone = await provider.send("nexus_resolveDid", [did, await registry.getAddress()]);
    assert.equal(gone.didDocumentMetadata.deactivated, true);
  });
});
