using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>An API token for automation. Only its SHA-256 is stored; the token itself is shown once, at creation.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>Hex SHA-256 of the token.</summary>
    public string TokenHash { get; set; } = string.Empty;

    /// <summary>The first characters of the token, so that people can tell their tokens apart.</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary><see cref="PortalRoles.Admin"/> or <see cref="PortalRoles.Reader"/>.</summary>
    public string Role { get; set; } = PortalRoles.Reader;

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
