using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// Canonical RLP of a commit certificate on its own (block sync, evidence of a commit): [round, [[validator, signature], ...]],
/// the same shape the block header embeds for its parent. Canonical means: signatures of exactly 65 bytes in strictly
/// ascending validator order; the decoder refuses anything else, so one certificate has exactly one encoding.
/// </summary>
public static class CommitCertificateCodec
{
    public static byte[] Encode(CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        int signaturesLength = 0;
        foreach (CommitSignature signature in certificate.Signatures) signaturesLength += RlpWriter.LengthOfList(ItemPayload(signature));
        int payload = RlpWriter.LengthOfUInt64(certificate.Round) + RlpWriter.LengthOfList(signaturesLength);
        byte[] buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteUInt64(certificate.Round);
        writer.WriteListHeader(signaturesLength);
        foreach (CommitSignature signature in certificate.Signatures)
        {
            writer.WriteListHeader(ItemPayload(signature));
            writer.WriteAddress(signature.Validator);
            writer.WriteString(signature.Signature);
        }
        return buffer;
    }

    /// <exception cref="RlpException">Malformed RLP, or a signature that is not 65 bytes.</exception>
    /// <exception cref="FormatException">Validators out of order (the base class of <see cref="RlpException"/>, so one catch serves).</exception>
    public static CommitCertificate Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpReader fields = reader.ReadList();
        reader.EnsureEnd();
        ulong round = fields.ReadUInt64();
        RlpReader list = fields.ReadList();
        fields.EnsureEnd();
        var signatures = new List<CommitSignature>();
        while (!list.IsEnd)
        {
            int offset = list.Position;
            RlpReader item = list.ReadList();
            Address validator = item.ReadAddress();
            ReadOnlySpan<byte> signature = item.ReadString();
            item.EnsureEnd();
            if (signature.Length != ConsensusSigning.SignatureLength)
                throw new RlpException(RlpError.UnexpectedLength, offset, "a commit signature (must be 65 bytes)");
            if (signatures.Count > 0 && validator <= signatures[^1].Validator)
                throw new FormatException($"commit signature at offset {offset}: validator {validator} does not follow {signatures[^1].Validator} in strictly ascending order");
            signatures.Add(new CommitSignature(validator, signature.ToArray()));
        }
        return new CommitCertificate(round, signatures.ToArray());
    }

    private static int ItemPayload(CommitSignature signature) =>
        RlpWriter.LengthOfAddress + RlpWriter.LengthOfString(signature.Signature);
}
