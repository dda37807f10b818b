using FederationPortal.Core.Security;

namespace FederationPortal.Core.Tests.Security;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Properties_named_like_secrets_are_masked_at_any_depth()
    {
        var json = SecretRedactor.ToRedactedJson(new
        {
            accessKeyId = "AKIAIOSFODNN7EXAMPLE",
            secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            nested = new { clientSecret = "abc", password = "p", sessionToken = "t", samlAssertion = "PHNhbWw+" },
            credentials = new[] { new { key = "SecretToken", value = "v" } },
        });

        Assert.Contains("AKIAIOSFODNN7EXAMPLE", json);
        Assert.DoesNotContain("wJalrXUtnFEMI", json);
        Assert.DoesNotContain("\"abc\"", json);
        Assert.DoesNotContain("PHNhbWw+", json);
        Assert.DoesNotContain("\"v\"", json);
        Assert.Contains(SecretRedactor.Mask, json);
    }

    [Fact]
    public void Secret_shaped_strings_are_masked_even_under_innocent_names()
    {
        var json = SecretRedactor.ToRedactedJson(new { note = "key is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok" });
        Assert.DoesNotContain("wJalrXUtnFEMI", json);
    }

    [Fact]
    public void Pem_private_keys_are_masked_in_free_text()
    {
        var text = "failed: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- end";
        var redacted = SecretRedactor.RedactText(text);
        Assert.DoesNotContain("MIIEvQIBADANBg", redacted);
        Assert.EndsWith("end", redacted);
    }

    [Theory]
    [InlineData("9F1C2B3A4D5E6F708192A3B4C5D6E7F801234567")] // certificate thumbprint (upper hex)
    [InlineData("2363ba3f1c2b3a4d5e6f708192a3b4c5d6e7f801")] // commit-like (lower hex)
    [InlineData("arn:aws:iam::111122223333:role/FederationPortal-Administrator")]
    public void Thumbprints_ids_and_arns_are_kept(string value)
    {
        Assert.Equal(value, SecretRedactor.RedactText(value));
    }

    [Fact]
    public void Null_details_become_an_empty_object()
    {
        Assert.Equal("{}", SecretRedactor.ToRedactedJson(null));
    }
}

public sealed class SecretNameTests
{
    [Theory]
    [InlineData("secretAccessKey", true)]
    [InlineData("SessionToken", true)]
    [InlineData("client_secret", true)]
    [InlineData("private-key", true)]
    [InlineData("accessKeyId", false)]
    [InlineData("preferredTokenSigningKeyThumbprint", false)]
    [InlineData("tokenId", false)]
    [InlineData("roleName", false)]
    public void Names_of_secrets_are_told_from_names_of_their_identifiers(string name, bool secret)
        => Assert.Equal(secret, FederationPortal.Core.Security.SecretRedactor.IsSecretName(name));
}
