using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Tests.State;

/// <summary>Seeded random accounts, slots and block contents for the state tests.</summary>
internal static class StateTestData
{
    public static Address Address(int index)
    {
        Span<byte> bytes = stackalloc byte[20];
        bytes.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes[16..], index + 1);
        bytes[0] = 0xA0;
        return new Address(bytes);
    }

    public static Hash256 Slot(int index) => Hash256.FromUInt256(new UInt256((ulong)index));

    public static Hash256 Word(Random random)
    {
        byte[] bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    /// <summary>
    /// A block of random writes over <paramref name="accounts"/> addresses, mirrored into the reference: balance and
    /// nonce changes, some accounts emptied (EIP-161 deletion), storage writes and zeroing, some code.
    /// </summary>
    public static void RandomBlock(Random random, StateOverlay overlay, ReferenceState reference, int accounts, int writes, int slotsPerAccount = 8)
    {
        for (int w = 0; w < writes; w++)
        {
            Address address = Address(random.Next(accounts));
            int roll = random.Next(100);
            if (roll < 50)
            {
                Account current = overlay.GetAccount(address);
                var updated = new Account(current.Nonce + 1, new UInt256((ulong)random.Next(1, 1_000_000)), current.CodeHash, current.StorageRoot);
                overlay.SetAccount(address, updated);
                reference.SetAccount(address, updated.Nonce, updated.Balance, updated.CodeHash);
            }
            else if (roll < 58)
            {
                Account current = overlay.GetAccount(address);
                overlay.SetAccount(address, new Account(0, UInt256.Zero, Account.EmptyCodeHash, current.StorageRoot));
                reference.SetAccount(address, 0, UInt256.Zero, ReferenceState.EmptyCode);
            }
            else if (roll < 60)
            {
                Account current = overlay.GetAccount(address);
                Hash256 code = Word(random);
                overlay.SetAccount(address, current.WithCodeHash(code));
                reference.SetAccount(address, current.Nonce, current.Balance, code);
            }
            else
            {
                Hash256 slot = Slot(random.Next(slotsPerAccount));
                Hash256 value = random.Next(4) == 0 ? default : Word(random);
                overlay.SetStorage(address, slot, value);
                reference.SetStorage(address, slot, value);
            }
        }
    }
}
