// What every devnet test knows in advance: the dev accounts (anvil's and hardhat's, CLIENTS.md) and the wire formats.
import assert from "node:assert/strict";
import { HDNodeWallet, JsonRpcProvider } from "ethers";

export const CHAIN_ID = 31337;
export const MNEMONIC = "test test test test test test test test test test test junk";
export const ACCOUNT0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const DEV_BALANCE_WEI = 10_000n * 10n ** 18n;
export const BASE_FEE_WEI = 1_000_000_000n;
export const GAS_LIMIT = 30_000_000n;
export const TRANSFER_GAS = 21_000n;

/** The key of dev account i, derived here (m/44'/60'/0'/0/i) independently of the node. */
export function devKey(i) {
  return HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).privateKey;
}

/**
 * An ethers provider for a devnet. cacheTimeout -1: AbstractProvider otherwise answers identical requests made within
 * 250 ms from a cache, so a second transaction sent right after the first (automine mines it at once) would be filled
 * with the stale "pending" nonce and fail with "nonce too low" -- exactly as it does against anvil and hardhat.
 */
export function ethersProvider(url) {
  return new JsonRpcProvider(url, undefined, { cacheTimeout: -1 });
}

const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]*)$/;
const DATA = /^0x([0-9a-f]{2})*$/;
const HASH = /^0x[0-9a-f]{64}$/;
const ADDRESS = /^0x[0-9a-f]{40}$/;

/** Canonical lowercase hex quantity (CLIENTS.md: zero is "0x0", no leading zeros). */
export function assertQuantity(value, name) {
  assert.match(String(value), QUANTITY, `${name} is not a canonical quantity: ${JSON.stringify(value)}`);
}

export function assertHash(value, name) {
  assert.match(String(value), HASH, `${name} is not a lowercase 32-byte hash: ${JSON.stringify(value)}`);
}

export function assertAddress(value, name) {
  assert.match(String(value), ADDRESS, `${name} is not a lowercase address: ${JSON.stringify(value)}`);
}

export function assertData(value, name, bytes) {
  assert.match(String(value), DATA, `${name} is not lowercase hex data: ${JSON.stringify(value)}`);
  if (bytes !== undefined) assert.equal((value.length - 2) / 2, bytes, `${name} has ${(value.length - 2) / 2} bytes, expected ${bytes}`);
}

/** Every field CLIENTS.md requires of a block, in its wire format. */
export function assertBlockFormat(block, fullTransactions) {
  for (const name of ["number", "timestamp", "difficulty", "gasLimit", "gasUsed", "baseFeePerGas", "size"]) assertQuantity(block[name], `block.${name}`);
  assert.equal(block.difficulty, "0x0");
  for (const name of ["hash", "parentHash", "transactionsRoot", "receiptsRoot", "stateRoot"]) assertHash(block[name], `block.${name}`);
  assertAddress(block.miner, "block.miner");
  assertData(block.extraData, "block.extraData");
  assertData(block.logsBloom, "block.logsBloom", 256);
  assert.ok(Array.isArray(block.transactions), "block.transactions is an array");
  for (const tx of block.transactions) {
    if (fullTransactions) {
      assert.equal(typeof tx, "object", "full transactions are objects");
      assertTransactionFormat(tx, block);
    } else {
      assertHash(tx, "block.transactions[i]");
    }
  }
}

/** Every field CLIENTS.md requires of a transaction; block fields null while pending. */
export function assertTransactionFormat(tx, block) {
  assertHash(tx.hash, "tx.hash");
  assertAddress(tx.from, "tx.from");
  if (tx.to !== null) assertAddress(tx.to, "tx.to");
  for (const name of ["nonce", "gas", "value", "type", "r", "s", "v"]) assertQuantity(tx[name], `tx.${name}`);
  assertData(tx.input, "tx.input");
  if (tx.type !== "0x0") {
    assertQuantity(tx.yParity, "tx.yParity");
    assertQuantity(tx.chainId, "tx.chainId");
    assert.equal(tx.v, tx.yParity, "typed transactions have v == yParity");
  }
  if (tx.type === "0x2") {
    assertQuantity(tx.maxFeePerGas, "tx.maxFeePerGas");
    assertQuantity(tx.maxPriorityFeePerGas, "tx.maxPriorityFeePerGas");
  } else {
    assertQuantity(tx.gasPrice, "tx.gasPrice");
  }
  if (block === null) {
    assert.equal(tx.blockHash, null, "pending tx.blockHash");
    assert.equal(tx.blockNumber, null, "pending tx.blockNumber");
    assert.equal(tx.transactionIndex, null, "pending tx.transactionIndex");
  } else {
    assert.equal(tx.blockHash, block.hash);
    assert.equal(tx.blockNumber, block.number);
    assertQuantity(tx.transactionIndex, "tx.transactionIndex");
  }
}

/** Every field CLIENTS.md requires of a receipt, in its wire format. */
export function assertReceiptFormat(receipt) {
  for (const name of ["transactionHash", "blockHash"]) assertHash(receipt[name], `receipt.${name}`);
  for (const name of ["transactionIndex", "blockNumber", "cumulativeGasUsed", "gasUsed", "effectiveGasPrice", "type"]) {
    assertQuantity(receipt[name], `receipt.${name}`);
  }
  assertAddress(receipt.from, "receipt.from");
  if (receipt.to !== null) assertAddress(receipt.to, "receipt.to");
  assert.ok("contractAddress" in receipt, "receipt.contractAddress is present");
  assert.ok(Array.isArray(receipt.logs), "receipt.logs is an array");
  assertData(receipt.logsBloom, "receipt.logsBloom", 256);
  assert.ok(receipt.status === "0x1" || receipt.status === "0x0", `receipt.status is "0x1" or "0x0": ${receipt.status}`);
}
