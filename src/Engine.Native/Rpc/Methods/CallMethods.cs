using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>
/// eth_estimateGas and eth_call: the transaction is executed as the first of the next block on a throw-away overlay
/// (<see cref="Blockchain.SimulateTransaction"/>), so balance, fee-cap and intrinsic-gas checks are exactly the
/// executor's. As in geth: the nonce given is ignored (a wallet estimates before it knows which nonce will be mined);
/// a call naming no fee runs with a zero base fee; with a fee cap, the gas is capped by what the balance can pay.
/// </summary>
internal static class CallMethods
{
    public static RpcError? EstimateGas(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(3);
        CallRequest? request = CallRequest.Read(ref args, 0, "transaction");
        BlockSelector block = args.Block(1, "block", BlockSelector.Latest);
        if (args.Failed) return args.Error;
        if (Simulate(call, request!, block, null, out Receipt receipt, out ulong cap, out _) is { } error) return error;
        // Gas used at the cap is not always enough as a limit: a call passes on at most 63/64 of what is left, so code
        // that needs a given amount in a callee needs more than that above it. When the used amount does not suffice,
        // binary search between it and the cap for the smallest limit that succeeds (as geth does). A transfer to an
        // account without code uses exactly its intrinsic gas, so it needs no second run.
        ulong low = receipt.GasUsed;
        bool runsCode = request!.To is not { } to || call.Chain.GetAccount(to, out _).HasCode;
        if (runsCode && low < cap && !Succeeds(call, request!, block, low))
        {
            ulong high = cap;
            while (low + 1 < high)
            {
                ulong middle = low + (high - low) / 2;
                if (Succeeds(call, request!, block, middle)) high = middle;
                else low = middle;
            }
            low = high;
        }
        HexJson.WriteQuantity(result, low);
        return null;
    }

    /// <summary>
    /// Runs the call on a throw-away copy of the next block's state and returns what the code returned ("0x" for an
    /// account without code). A revert is JSON-RPC error 3, "execution reverted" (with the decoded Error(string) reason
    /// appended), and the revert bytes as data, exactly as geth reports it, so that ethers and viem decode the reason.
    /// </summary>
    public static RpcError? Call(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(3);
        CallRequest? request = CallRequest.Read(ref args, 0, "transaction");
        BlockSelector block = args.Block(1, "block", BlockSelector.Latest);
        if (args.Has(2)) args.Fail(2, "stateOverrides", "state overrides are not supported");
        if (args.Failed) return args.Error;
        if (Simulate(call, request!, block, null, out _, out _, out byte[] output) is { } error) return error;
        HexJson.WriteData(result, output);
        return null;
    }

    private static bool Succeeds(RpcCall call, CallRequest request, BlockSelector block, ulong gas) =>
        Simulate(call, request, block, gas, out Receipt receipt, out _, out _) is null && receipt.Success;

    /// <param name="gasOverride">The gas limit to try instead of the request's (estimation's search), or null.</param>
    /// <param name="cap">The gas limit the simulation ran with.</param>
    /// <param name="output">What the code returned.</param>
    private static RpcError? Simulate(RpcCall call, CallRequest request, BlockSelector block, ulong? gasOverride,
        out Receipt receipt, out ulong cap, out byte[] output)
    {
        receipt = default;
        cap = 0;
        output = [];
        Blockchain chain = call.Chain;
        Address from = request.From ?? Address.Zero;
        if (request.ChainId is { } chainId && chainId != chain.Config.ChainId)
            return RpcError.Server($"invalid chain id: the call is for chain {chainId}, this chain is {chain.Config.ChainId}");

        bool dynamicFee = request.MaxFeePerGas is not null || request.MaxPriorityFeePerGas is not null;
        UInt256 feeCap = request.GasPrice ?? request.MaxFeePerGas ?? UInt256.Zero;
        UInt256 tip = request.GasPrice ?? request.MaxPriorityFeePerGas ?? UInt256.Zero;
        if (tip > feeCap) feeCap = tip; // only a tip given: geth lets the cap follow it

        ulong blockGasLimit = chain.Config.BlockGasLimit;
        ulong gas = Math.Min(gasOverride ?? request.Gas ?? blockGasLimit, blockGasLimit);
        Account account = chain.GetAccount(from, out _);
        bool cappedByFunds = false;
        if (request.Value > account.Balance) return RpcError.Server("insufficient funds for transfer");
        if (!feeCap.IsZero)
        {
            UInt256 allowance = (account.Balance - request.Value) / feeCap;
            if (allowance < new UInt256(gas))
            {
                gas = (ulong)allowance;
                cappedByFunds = true;
            }
        }

        var tx = new Transaction
        {
            Type = dynamicFee ? TxType.DynamicFee : request.AccessList.Length > 0 ? TxType.AccessList : TxType.Legacy,
            ChainId = chain.Config.ChainId,
            Nonce = account.Nonce,
            MaxFeePerGas = feeCap,
            MaxPriorityFeePerGas = tip,
            GasLimit = gas,
            To = request.To,
            Value = request.Value,
            Data = request.Data,
            AccessList = request.AccessList,
            Sender = from,
            HasSender = true,
        };
        ulong intrinsic = IntrinsicGas.Compute(tx);
        if (intrinsic > gas)
        {
            return cappedByFunds
                ? RpcError.Server($"gas required exceeds allowance ({gas}): the balance pays for {gas} gas at the fee cap, the transaction needs at least {intrinsic}")
                : RpcError.Server($"intrinsic gas too low: gas {gas}, minimum needed {intrinsic}");
        }

        cap = gas;
        TxError error = chain.SimulateTransaction(tx, chargeBaseFee: !feeCap.IsZero, out receipt, out Block head,
            out byte[] returned, out string? failure);
        if (ChainQueries.CheckStateAt(chain, block, head) is { } stateError) return stateError;
        if (error == TxError.FeeCapBelowBaseFee)
            return RpcError.Server($"max fee per gas less than block base fee: address {from}, maxFeePerGas: {feeCap}, baseFee: {chain.NextBaseFee}");
        if (error != TxError.None) return RpcError.Server(TxErrorText.Describe(error));
        if (!receipt.Success)
        {
            if (failure is null) return Reverted(returned);
            return RpcError.Server(failure == "out of gas" && cappedByFunds
                ? $"gas required exceeds allowance ({gas})"
                : request.To is null ? $"contract creation failed: {failure}" : $"execution failed: {failure}");
        }
        output = returned;
        return null;
    }

    /// <summary>geth's revert error: code 3, "execution reverted" plus the Error(string) reason when the data is one.</summary>
    private static RpcError Reverted(byte[] data)
    {
        string message = RevertReason.TryDecode(data, out string? reason) ? $"execution reverted: {reason}" : "execution reverted";
        return new RpcError(RpcError.ExecutionReverted, message, Hex.ToHexData(data));
    }
}
