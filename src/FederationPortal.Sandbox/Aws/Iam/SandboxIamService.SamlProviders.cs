using FederationPortal.Core.Saml;
using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>IAM's SAML providers: metadata checked as IAM checks it, tags, and the provider a trust policy may name.</summary>
internal sealed partial class SandboxIamService
{
    private string ProviderArn(string name) => $"arn:aws:iam::{Account}:saml-provider/{name}";

    private SandboxSamlProvider ProviderByArn(AwsQueryRequest request)
    {
        var arn = request.Required("SAMLProviderArn", "sAMLProviderArn");
        AwsQueryRequest.CheckLength(arn, 20, 2048, "sAMLProviderArn");
        var prefix = $"arn:aws:iam::{Account}:saml-provider/";
        if (!arn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || !arn.Contains(":saml-provider/", StringComparison.Ordinal))
        {
            throw AwsQueryError.InvalidInput($"ARN {arn} is not valid.");
        }

        return (arn.StartsWith(prefix, StringComparison.Ordinal) ? state.Provider(arn[prefix.Length..]) : null)
            ?? throw AwsQueryError.NoSuchEntity($"Manifest not found for arn {arn}");
    }

    private SamlMetadata CheckMetadata(AwsQueryRequest request)
    {
        var document = request.Required("SAMLMetadataDocument", "sAMLMetadataDocument");
        AwsQueryRequest.CheckLength(document, SamlMetadataParser.MinimumLength, SamlMetadataParser.MaximumLength, "sAMLMetadataDocument");
        var parsed = SamlMetadataParser.Parse(document);
        if (!parsed.IsValid)
        {
            logger.LogInformation("Sandbox IAM refused SAML metadata: {Problems}", string.Join("; ", parsed.Problems.Select(p => p.Code)));
            throw AwsQueryError.InvalidInput("Could not parse metadata");
        }

        return parsed.Metadata!;
    }

    private IEnumerable<object?> CreateSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var name = request.Name("Name", 128);
        var metadata = CheckMetadata(request);
        var tags = request.Tags();
        if (state.Provider(name) is not null)
        {
            throw AwsQueryError.EntityAlreadyExists($"SAMLProvider {name} already exists");
        }

        var provider = new SandboxSamlProvider
        {
            Name = name,
            MetadataDocument = request.Required("SAMLMetadataDocument"),
            CreateDate = Now,
            ValidUntil = metadata.ValidUntil ?? Now.AddYears(100),
            Tags = [.. tags],
        };
        state.Save(provider);
        logger.LogInformation("Sandbox IAM created SAML provider {Provider}", name);
        yield return X.E("SAMLProviderArn", ProviderArn(name));
        if (tags.Count > 0)
        {
            yield return X.Tags(tags);
        }
    }

    private IEnumerable<object?> UpdateSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        var metadata = CheckMetadata(request);
        state.Save(provider with { MetadataDocument = request.Required("SAMLMetadataDocument"), ValidUntil = metadata.ValidUntil ?? provider.ValidUntil });
        yield return X.E("SAMLProviderArn", ProviderArn(provider.Name));
    }

    private IEnumerable<object?> GetSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        yield return X.E("SAMLMetadataDocument", provider.MetadataDocument);
        yield return X.Date("CreateDate", provider.CreateDate);
        yield return provider.ValidUntil is { } validUntil ? X.Date("ValidUntil", validUntil) : null;
        yield return provider.Tags.Count > 0 ? X.Tags(provider.Tags) : null;
    }

    private IEnumerable<object?> ListSamlProviders(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Members("SAMLProviderList", state.AllProviders().Select(p => new object?[]
        {
            X.E("Arn", ProviderArn(p.Name)),
            p.ValidUntil is { } validUntil ? X.Date("ValidUntil", validUntil) : null,
            X.Date("CreateDate", p.CreateDate),
        }));
    }

    private IEnumerable<object?>? DeleteSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        state.DeleteProvider(ProviderByArn(request).Name);
        return null;
    }

    private IEnumerable<object?>? TagSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        state.Save(provider with { Tags = MergeTags(provider.Tags, request.Tags()) });
        return null;
    }

    private IEnumerable<object?>? UntagSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        var keys = request.List("TagKeys");
        state.Save(provider with { Tags = provider.Tags.Where(t => !keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).ToList() });
        return null;
    }

    private IEnumerable<object?> ListSamlProviderTags(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Tags(ProviderByArn(request).Tags);
        yield return X.E("IsTruncated", "false");
    }
}
