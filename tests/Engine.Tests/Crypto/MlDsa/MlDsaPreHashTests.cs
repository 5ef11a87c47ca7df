using NexusFast.Engine.Crypto.MlDsa;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>
/// The HashML-DSA pre-hash digests against known answers computed with OpenSSL (Python's hashlib), at lengths on both
/// sides of every padding and rate boundary; input byte i is (7 i + 1) mod 256.
/// </summary>
public sealed class MlDsaPreHashTests
{
    [Theory]
        [InlineData(MlDsaPreHash.Sha2_224, 0, "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
        [InlineData(MlDsaPreHash.Sha2_224, 3, "d80e722c074b4d4b78c354d78dfb4a72e203ec7381cc62be837fe11b")]
        [InlineData(MlDsaPreHash.Sha2_224, 55, "4536f7e80b16d78a4bb94614bc8c56efeba723f643ab709b34105e29")]
        [InlineData(MlDsaPreHash.Sha2_224, 56, "ffa2976feb279be945a932fbc6b08536b606ba124d8f7c0cc4d5ca68")]
        [InlineData(MlDsaPreHash.Sha2_224, 64, "f7ebe2caa6adf802424414ed9ae3d1887a1f662b56706704edb54027")]
        [InlineData(MlDsaPreHash.Sha2_224, 111, "593c0014c2405e96cce2efbb4730b39d73cbbae0647327281d0b2746")]
        [InlineData(MlDsaPreHash.Sha2_224, 112, "2619baaa8bfaac5fda045b97292faf19a3e7be4611c39989b78a4207")]
        [InlineData(MlDsaPreHash.Sha2_224, 128, "2e46e444bd988b20a60ff9c398b5241c97305ebfda69e45607dc2a0a")]
        [InlineData(MlDsaPreHash.Sha2_224, 143, "832de6fefd471a5de1e384e92367713b205d266c6bba40677c348dc8")]
        [InlineData(MlDsaPreHash.Sha2_224, 144, "c11a6deb03343ae0f2b217f03ddb9f15c6dab70966fe23eba11fd95f")]
        [InlineData(MlDsaPreHash.Sha2_224, 200, "8edb89dce72856ad1b70210c7238d8d73ffa7bea8996697db6aad346")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 0, "6ed0dd02806fa89e25de060c19d3ac86cabb87d6a0ddd05c333b84f4")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 3, "6d96d10cfdbf4887350e55b197b2d8514d385e6c2766dfe8c495a2fb")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 55, "67ca6ffd2a586c0ffbb66e3e7d8f32f41fcc70e2123aea48b7762124")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 56, "4031e67386802b88bbc049b6a74fc5f223f382db62ebdecae43c9c19")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 64, "010ca27efd599b8b9a5b0a216bc142fa0a1036abd924881293bbdfe4")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 111, "b0ee919f34cd88cd76697f3a55ddaa7afcfc9300679814d62725768d")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 112, "19116d3ebf6eba62301aa487ad3133ce6721e5dc1f4ef938a585ba09")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 128, "bb0d5e1195e153d93ed2df023f17c4a03d472e58b3e3e2cd93bd2fee")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 143, "6f2eb9fc0c8820495e30f08824cbd09f7fd5339c4c9f33507e6c7e3d")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 144, "af11eeb80344a644544122d6780a8a6f1d66bd48981edcac59bdcf50")]
        [InlineData(MlDsaPreHash.Sha2_512_224, 200, "658b7a62a4ad3c08650a56d0b25d54471a7ee0e7462d0dc502cf9e52")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 0, "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 3, "0101e0244ae30d4258bec9c96bb4472e946e00a753fb95ff3aa5ed959c3179b4")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 55, "7596305dc6bae546116501d29aa02cb68cf9784a6655615c35902cebcf4260a3")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 56, "2eb260c5ebe391ee008914a439a68ef7686a07167a428df905ca86d438c43395")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 64, "9e5c749e782e6c7e7821cd15dae9047cb7f6416a2f06504a3d41ba7ce50f2ea6")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 111, "4029d3ebe870f8fbbe5581f06af38bacdb2668f163b2e029e25df76d4d1c821f")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 112, "fe94f52a770b70981e9f93f552e5c3220511bf1649da73f01ff750ff2dc0b783")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 128, "053663d67952eb1446db66a0346dac5cc47ba6aca7e350a2b0ffdfa29cf21e7c")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 143, "407044697226c4ffe512a473b5ab9d2491383c6a48dc184e76bc890b0fa54f7e")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 144, "a12f650f0e2ef76dbb866647b1ece5eda32fc8753c64c9858162abdf4c68e292")]
        [InlineData(MlDsaPreHash.Sha2_512_256, 200, "40d91e923fa0996cee4f885e3cbd3ace3b6277a318319312a31b0926f660c59a")]
        [InlineData(MlDsaPreHash.Sha3_224, 0, "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7")]
        [InlineData(MlDsaPreHash.Sha3_224, 3, "ab948856ea86f281dddf3e58a23f595321a0818b3a634a3b4d942eb0")]
        [InlineData(MlDsaPreHash.Sha3_224, 55, "2be4631d44c0445dc95818b0c3b9d3bb5414b25b2c744ccf59e18b12")]
        [InlineData(MlDsaPreHash.Sha3_224, 56, "d7f3354a35c796cdaa7ef0409e498a59ac73fc8784d1db07bf720d47")]
        [InlineData(MlDsaPreHash.Sha3_224, 64, "8c426b811f065aeda10f12cd5a4c1c282413eda692e451e904dc33e4")]
        [InlineData(MlDsaPreHash.Sha3_224, 111, "d9d34f1c90b2614a1fa9f774ce8616600463a8a70d172f74debf6d7e")]
        [InlineData(MlDsaPreHash.Sha3_224, 112, "aba333a02f6bb9fd95bd4b6986805080019683dcb4d3a7134153337a")]
        [InlineData(MlDsaPreHash.Sha3_224, 128, "c6ca83f4105204a89dbec4526d0725f247b0faeb1558ef206913a714")]
        [InlineData(MlDsaPreHash.Sha3_224, 143, "c2a9309fc6515d9fbe5ef7a3e0564db624dd09b929ca2b1ffa18812a")]
        [InlineData(MlDsaPreHash.Sha3_224, 144, "5ef3b6997c26cd80851aa0f2e8cd45092f5799fb34a71108d0e7b290")]
        [InlineData(MlDsaPreHash.Sha3_224, 200, "6c522115fcc727c4c58e4dd4da4700b93770e6949bc6c48340fe7690")]
        [InlineData(MlDsaPreHash.Sha3_256, 0, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")]
        [InlineData(MlDsaPreHash.Sha3_256, 3, "87006fc41b38735b9f02c804367b5db7528b5a28004fe212cbc92fa817b2d2b1")]
        [InlineData(MlDsaPreHash.Sha3_256, 55, "e295d6856bfd2567150c2222b7f976551c3170aa80cf28ff1e5d692602924418")]
        [InlineData(MlDsaPreHash.Sha3_256, 56, "35f1df38437236f7f3eaf081735f9f274122d6c208d08474ebe4cccd6c701f3f")]
        [InlineData(MlDsaPreHash.Sha3_256, 64, "700161427c7148c13c572a6c3d62776b82a1230658b2314316d54080fd4a66cb")]
        [InlineData(MlDsaPreHash.Sha3_256, 111, "e7d547ca7408728434859a8cc4866357ac18e8e7ce53750c8a76d1289633ee5b")]
        [InlineData(MlDsaPreHash.Sha3_256, 112, "a37014c4e20285b37d93add048043f71d4de24bf9d0d7c9319e1843639adf2cb")]
        [InlineData(MlDsaPreHash.Sha3_256, 128, "bd8395a43fe22d305e4f83e75005122e30b2b05613ba261c0835a6e8c3007043")]
        [InlineData(MlDsaPreHash.Sha3_256, 143, "4e64495a6bd9c2ec70eabe1f944c37ca869a3d38c201a35a890766460458b66c")]
        [InlineData(MlDsaPreHash.Sha3_256, 144, "c0ff52f5dbd999227dc068ad2e222ff4733c35227c0f95bf1eddcffd8f9679a1")]
        [InlineData(MlDsaPreHash.Sha3_256, 200, "1bea1a85c82f141d118988be6f7a7c0875a45c1a9820f2e1d7797061d2b3d86a")]
        [InlineData(MlDsaPreHash.Sha3_512, 0, "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26")]
        [InlineData(MlDsaPreHash.Sha3_512, 3, "533604b5c4c88ede41184e036389d2cb322d4165bc75adc0f9abd83610fbb39054326bbb506c50b74f5f814fca55bbd3d61eef6943ef52de9fc182b93bebf1d2")]
        [InlineData(MlDsaPreHash.Sha3_512, 55, "b9c0accfcad375e7a294efff0ff1adfedf1ba269b5cb7bc50f396e719d5d4143dde369468f0d85d93e162a40c7a2124c39d6cbb8b2520300be3d11a5e21374b9")]
        [InlineData(MlDsaPreHash.Sha3_512, 56, "ac62d0bb9aa7a378d64bd7fb52c153cdc2ad36c621e887a387bec6481b967dc237769200d4aeaa2ea30a0e7ad69ed2d793caaf7eea6c94e18a7045f1ca7dc1d3")]
        [InlineData(MlDsaPreHash.Sha3_512, 64, "ac3e7b504f027e477aa99bfff727ce404994d818c9d1445ab21f680bc44360eb88fb9b7a18232cbda88853ee11797b724287c324ed56e7bf7662cfa2dc212c0c")]
        [InlineData(MlDsaPreHash.Sha3_512, 111, "fc9f806d030c3efb4056c1e65dd067e111be161d8007f2e4cba9cd066efb67a093e3523fed1f733f2827e1d70e017e10e9a7c9334de492b641af4d73509f58bb")]
        [InlineData(MlDsaPreHash.Sha3_512, 112, "7ed0980151a1f5bfa19af7bdfbb6aaa367a8c27480310f81e82929b7b97ce6344cbc9d046683acd06aa78cc6ad1ce92741b81969c2fdce74617a222c417cd048")]
        [InlineData(MlDsaPreHash.Sha3_512, 128, "fc9d338609f6b97c3071e0d5584730dcc0e18494ef602adbe3f4b1f3623ade160d3845d5e3728a6e33aa11f85ab7298e03b9cac2d2f61d338e7927de8998b8c3")]
        [InlineData(MlDsaPreHash.Sha3_512, 143, "0ed3f446670b5dcd674fcfa83450e70a8362bbf1cf16ec25e770a99c206df607d35f537b05d84fa677ab07a9b8f2d50c94d4f00afdc0ac7737383f0794f7473a")]
        [InlineData(MlDsaPreHash.Sha3_512, 144, "ef8c5c8315608c36b8bea9ba9b62aa83066fa9643a8a15764cbb4c4056416f5f3bacfc7280c9ca8af12288bbe5988317e4ce707e9861c316036731630c58ca8a")]
        [InlineData(MlDsaPreHash.Sha3_512, 200, "45418dbae0f40fc96a00351bc4feaa22764a6c20c90034f1bef2164b36d8f2e3d5ae8a1bad8ed82c090c88f5609d4deb27420b574d7ea5e75f62ab887699e0b0")]
        [InlineData(MlDsaPreHash.Shake128, 0, "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26")]
        [InlineData(MlDsaPreHash.Shake256, 0, "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be")]
        [InlineData(MlDsaPreHash.Shake128, 167, "f556a4f5ec6d8c971f1d0ca3c0dc1a33f4c2878b8c54d313560a66be26b6266f")]
        [InlineData(MlDsaPreHash.Shake256, 167, "9391fe50db0ed2d7997e02569a5915ea3740c05b573d46d30c71c790e36315288c11ed9c0068b37c1dee30de2771ddaf44d17b0fd7e9e7e18624d5dd54864d63")]
        [InlineData(MlDsaPreHash.Shake128, 168, "0a0378144caa796f9bc4af37b5329eefbf846dd0f089d87ce1f0665e033f7d26")]
        [InlineData(MlDsaPreHash.Shake256, 168, "b6c1260b0e36ebd9c301335e52a3b118364511b533f209639e7638b14aa203133d3dca72d25db93a7af0ea4978d2862d39ee8ad7f216db0baa0c943fbe49638a")]
        [InlineData(MlDsaPreHash.Shake128, 300, "2143efe1003742e573de3e9b116d8950337993ce21bce7aea3ef401e705163b9")]
        [InlineData(MlDsaPreHash.Shake256, 300, "07eddb1a8780d5425374583dfe77c2a6eaa2fe9850561ec5da43b53ca1fa3cbd4dc16e8a821a9ff9444ad8018c562c9532065205608969e0962931777a7a4522")]
    public void Digests_match_OpenSSL(MlDsaPreHash hash, int length, string expectedHex)
    {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) input[i] = (byte)(7 * i + 1);
        byte[] digest = new byte[MlDsaPreHashes.DigestSize(hash)];
        MlDsaPreHashes.ComputeDigest(hash, input, digest);
        Assert.Equal(expectedHex, Convert.ToHexString(digest).ToLowerInvariant());
    }

    [Fact]
    public void A_digest_buffer_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MlDsaPreHashes.ComputeDigest(MlDsaPreHash.Sha2_256, "abc"u8, new byte[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlDsaPreHashes.DigestSize((MlDsaPreHash)0x0D));
    }
}
