using System.Security.Cryptography;
using System.Text;
using McpPlatform.Core;
using McpPlatform.Secrets.Crypto;
using McpPlatform.Secrets.Store;

namespace McpPlatform.Secrets.Tests;

public sealed class EnvelopeEncryptionTests
{
    private const string Contoso = DemoDirectory.ContosoTenantId;
    private const string Fabrikam = DemoDirectory.FabrikamTenantId;
    private const string Name = "partner-api-key";

    private static string RandomKekBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyEncryptionKey.KeySize));

    private static KeyEncryptionKey Kek(string? base64 = null)
    {
        KeyEncryptionKey.TryParse(base64 ?? RandomKekBase64(), out var kek, out var problem).ShouldBeTrue(problem);
        return kek!;
    }

    // A value encrypted as the store does it: a data key wrapped by the KEK, the value under the data key.
    private static (byte[] Wrapped, byte[] Nonce, byte[] Ciphertext) Seal(KeyEncryptionKey kek, string tenant, string name, int version, byte[] value)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeyEncryptionKey.KeySize);
        var wrapped = kek.Wrap(tenant, dataKey);
        var (nonce, ciphertext) = SecretCipher.Encrypt(dataKey, tenant, name, version, value);
        CryptographicOperations.ZeroMemory(dataKey);
        return (wrapped, nonce, ciphertext);
    }

    private static byte[] Open(KeyEncryptionKey kek, string tenant, string kekId, byte[] wrapped, string name, int version, byte[] nonce, byte[] ciphertext)
    {
        var dataKey = new byte[KeyEncryptionKey.KeySize];
        try
        {
            kek.Unwrap(tenant, kekId, wrapped, dataKey);
            return SecretCipher.Decrypt(dataKey, tenant, name, version, nonce, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    [Fact]
    public void SealThenOpen_SameTenantNameVersion_ReturnsTheValue()
    {
        using var kek = Kek();
        var value = Encoding.UTF8.GetBytes("canary-Ünïcødé-🔑-value");
        var (wrapped, nonce, ciphertext) = Seal(kek, Contoso, Name, 1, value);

        Open(kek, Contoso, kek.Id, wrapped, Name, 1, nonce, ciphertext).ShouldBe(value);
        ciphertext.Length.ShouldBe(value.Length + KeyEncryptionKey.TagSize);
        wrapped.Length.ShouldBe(KeyEncryptionKey.WrappedSize);
    }

    [Fact]
    public void Ciphertext_DoesNotContainThePlaintext_AndEachWriteHasAFreshNonce()
    {
        using var kek = Kek();
        var value = Encoding.UTF8.GetBytes("canary-plaintext-that-must-not-appear");
        var first = Seal(kek, Contoso, Name, 1, value);
        var dataKey = RandomNumberGenerator.GetBytes(KeyEncryptionKey.KeySize);
        var a = SecretCipher.Encrypt(dataKey, Contoso, Name, 1, value);
        var b = SecretCipher.Encrypt(dataKey, Contoso, Name, 1, value);

        first.Ciphertext.AsSpan().IndexOf(value.AsSpan(0, 8)).ShouldBe(-1);
        a.Nonce.ShouldNotBe(b.Nonce);
        a.Ciphertext.ShouldNotBe(b.Ciphertext);
    }

    [Theory]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    [InlineData("nonce")]
    [InlineData("wrapped")]
    public void Open_AnyStoredByteFlipped_Fails(string part)
    {
        using var kek = Kek();
        var (wrapped, nonce, ciphertext) = Seal(kek, Contoso, Name, 1, Encoding.UTF8.GetBytes("value-to-tamper-with"));
        switch (part)
        {
            case "ciphertext": ciphertext[0] ^= 1; break;
            case "tag": ciphertext[^1] ^= 0x80; break;
            case "nonce": nonce[5] ^= 1; break;
            default: wrapped[20] ^= 1; break;
        }

        Should.Throw<CryptographicException>(() => Open(kek, Contoso, kek.Id, wrapped, Name, 1, nonce, ciphertext));
    }

    [Fact]
    public void Open_CiphertextMovedToAnotherNameOrVersion_Fails()
    {
        using var kek = Kek();
        var (wrapped, nonce, ciphertext) = Seal(kek, Contoso, Name, 3, Encoding.UTF8.GetBytes("bound-to-name-and-version"));

        Should.Throw<CryptographicException>(() => Open(kek, Contoso, kek.Id, wrapped, "other-name", 3, nonce, ciphertext));
        Should.Throw<CryptographicException>(() => Open(kek, Contoso, kek.Id, wrapped, Name, 2, nonce, ciphertext));
        Should.Throw<CryptographicException>(() => Open(kek, Contoso, kek.Id, wrapped, Name, 4, nonce, ciphertext));
    }

    [Fact]
    public void Open_RowsCopiedToAnotherTenant_Fails()
    {
        using var kek = Kek();
        var (wrapped, nonce, ciphertext) = Seal(kek, Contoso, Name, 1, Encoding.UTF8.GetBytes("contoso-only"));

        // Contoso's wrapped data key presented as fabrikam's: the wrap's associated data names the tenant.
        Should.Throw<CryptographicException>(() => Open(kek, Fabrikam, kek.Id, wrapped, Name, 1, nonce, ciphertext));

        // Contoso's ciphertext under fabrikam's own data key and name: the value's associated data names the tenant too.
        var fabrikamKey = RandomNumberGenerator.GetBytes(KeyEncryptionKey.KeySize);
        Should.Throw<CryptographicException>(() => SecretCipher.Decrypt(fabrikamKey, Fabrikam, Name, 1, nonce, ciphertext));
        var dataKey = new byte[KeyEncryptionKey.KeySize];
        kek.Unwrap(Contoso, kek.Id, wrapped, dataKey);
        Should.Throw<CryptographicException>(() => SecretCipher.Decrypt(dataKey, Fabrikam, Name, 1, nonce, ciphertext));
    }

    [Fact]
    public void AssociatedData_DiffersForEveryTenantNameVersion()
    {
        var all = new[]
        {
            SecretCipher.AssociatedData(Contoso, Name, 1),
            SecretCipher.AssociatedData(Fabrikam, Name, 1),
            SecretCipher.AssociatedData(Contoso, "other", 1),
            SecretCipher.AssociatedData(Contoso, Name, 2),
            // NUL separators: "a"+"b.c" and "a.b"+"c" cannot collide.
            SecretCipher.AssociatedData("a", "b.c", 1),
            SecretCipher.AssociatedData("a.b", "c", 1),
        };

        all.Select(Convert.ToHexString).Distinct().Count().ShouldBe(all.Length);
    }

    [Fact]
    public void Unwrap_WithAnotherKek_IsRefusedByIdBeforeAnyDecryption()
    {
        using var kek = Kek();
        using var other = Kek();
        var (wrapped, _, _) = Seal(kek, Contoso, Name, 1, [1, 2, 3]);

        other.Id.ShouldNotBe(kek.Id);
        var refused = Should.Throw<KeyEncryptionKeyMismatchException>(() => other.Unwrap(Contoso, kek.Id, wrapped, new byte[KeyEncryptionKey.KeySize]));
        refused.Message.ShouldContain(kek.Id);
        refused.Message.ShouldContain(other.Id);
    }

    [Fact]
    public void Unwrap_WithAnotherKekClaimingTheStoredId_FailsAuthentication()
    {
        using var kek = Kek();
        using var other = Kek();
        var (wrapped, _, _) = Seal(kek, Contoso, Name, 1, [1, 2, 3]);
        var dataKey = new byte[KeyEncryptionKey.KeySize];

        // The id check is for clear errors; the cryptography does not rely on it.
        Should.Throw<CryptographicException>(() => other.Unwrap(Contoso, other.Id, wrapped, dataKey));
        dataKey.ShouldAllBe(b => b == 0);
    }

    [Fact]
    public void Id_IsStableForAKeyAndRevealsNoKeyBytes()
    {
        var base64 = RandomKekBase64();
        using var a = Kek(base64);
        using var b = Kek(base64);

        a.Id.ShouldBe(b.Id);
        a.Id.ShouldMatch("^kek-[0-9a-f]{16}$");
        a.Id.ShouldNotContain(Convert.ToHexStringLower(Convert.FromBase64String(base64))[..8]);
    }

    [Theory]
    [InlineData(null, "not set")]
    [InlineData("", "not set")]
    [InlineData("   ", "not set")]
    [InlineData("not base64!!", "not base64")]
    [InlineData("c2hvcnQ=", "decodes to 5 bytes")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "all zero")]
    public void TryParse_BadKek_IsRefusedWithAClearReasonThatDoesNotEchoIt(string? value, string reason)
    {
        KeyEncryptionKey.TryParse(value, out var kek, out var problem).ShouldBeFalse();

        kek.ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(reason);
        if (!string.IsNullOrWhiteSpace(value))
        {
            problem.ShouldNotContain(value.Trim());
        }
    }

    [Fact]
    public void TryParse_33Bytes_IsRefused()
    {
        KeyEncryptionKey.TryParse(Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)), out _, out var problem).ShouldBeFalse();
        problem.ShouldNotBeNull().ShouldContain("not 32");
    }

    [Fact]
    public void TryParse_TheDevelopmentDefault_IsAValidKey()
    {
        var settings = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "AppHost", "appsettings.Development.json");
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(settings));
        var value = document.RootElement.GetProperty("Parameters").GetProperty(SecretsDatabaseRoles.KeyEncryptionKeyParameter).GetString();

        KeyEncryptionKey.TryParse(value, out var kek, out var problem).ShouldBeTrue(problem);
        kek!.Dispose();
    }

    [Fact]
    public void Dispose_ZeroesTheKek_AndRefusesFurtherUse()
    {
        var kek = Kek();
        kek.Dispose();

        kek.IsZeroed.ShouldBeTrue();
        Should.Throw<ObjectDisposedException>(() => kek.Wrap(Contoso, new byte[KeyEncryptionKey.KeySize]));
    }

    [Fact]
    public void SecretPlaintext_Dispose_ZeroesTheDecryptedBytes()
    {
        using var kek = Kek();
        var (wrapped, nonce, ciphertext) = Seal(kek, Contoso, Name, 1, Encoding.UTF8.GetBytes("zero-me-after-use"));
        var bytes = Open(kek, Contoso, kek.Id, wrapped, Name, 1, nonce, ciphertext);
        var plaintext = new SecretPlaintext(bytes);
        Encoding.UTF8.GetString(plaintext.Utf8).ShouldBe("zero-me-after-use");

        plaintext.Dispose();

        bytes.ShouldAllBe(b => b == 0);
    }
}
