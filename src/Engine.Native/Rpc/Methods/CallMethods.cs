using System.Text.Json;
using NexusFast.Engine.Chain;
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
        if (Simulate(call, request!, block, out Receipt receipt) is { } error) return error;
        // Plain transfers use exactly their intrinsic gas. With the VM, the gas used at the cap is not always enough
        // to succeed (refunds, the 63/64 rule): estimation becomes a binary search over gas limits then.
        HexJson.WriteQuantity(result, receipt.GasUsed);
        return null;
    }

    /// <summary>
    /// Without a VM there is no code to run: a call to an account without code returns empty output ("0x"), as it
    /// does on Ethereum, once the same checks as a real transaction (funds for value and gas) pass.
    /// </summary>
    public static RpcError? Call(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(3);
        CallRequest? request = CallRequest.Read(ref args, 0, "transaction");
        BlockSelector block = args.Block(1, "block", BlockSelector.Latest);
        if (args.Has(2)) args.Fail(2, "stateOverrides", "state overrides are not supported");
        if (args.Failed) return args.Error;
        if (Simulate(call, request!, block, out _) is { } error) return error;
        result.WriteStringValue("0x"u8);
        return null;
    }

    private static RpcError? Simulate(RpcCall call, CallRequest request, BlockSelector block, out Receipt receipt)
    {
        receipt = default;
        Blockchain chain = call.Chain;
        Address from = request.From ?? Address.Zero;
        if (request.ChainId is { } chainId && chainId != chain.Config.ChainId)
            return RpcError.Server($"invalid chain id: the call is for chain {chainId}, this chain is {chain.Config.ChainId}");

        bool dynamicFee = request.MaxFeePerGas is not null || request.MaxPriorityFeePerGas is not null;
        UInt256 feeCap = request.GasPrice ?? request.MaxFeePerGas ?? UInt256.Zero;
        UInt256 tip = request.GasPrice ?? request.MaxPriorityFeePerGas ?? UInt256.Zero;
        if (tip > feeCap) feeCap = tip; // only a tip given: geth lets the cap follow it

        ulong blockGasLimit = chain.Config.BlockGasLimit;
        ulong gas = Math.Min(request.Gas ?? blockGasLimit, blockGasLimit);
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

        TxError error = chain.SimulateTransaction(tx, chargeBaseFee: !feeCap.IsZero, out receipt, out Block head);
        if (ChainQueries.CheckStateAt(chain, block, head) is { } stateError) return stateError;
        if (error == TxError.FeeCapBelowBaseFee)
            return RpcError.Server($"max fee per gas less than block base fee: address {from}, maxFeePerGas: {feeCap}, baseFee: {chain.NextBaseFee}");
        if (error != TxError.None) return RpcError.Server(TxErrorText.Describe(error));
        if (!receipt.Success)
        {
            return RpcError.Server(request.To is null
                ? "contract creation needs the virtual machine, which this node does not run yet"
                : $"{request.To} has code, and running it needs the virtual machine, which this node does not run yet");
        }
        return null;
    }
}
