using System.Globalization;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Rotation;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Monitoring;

/// <summary>
/// The process-wide memory of <see cref="AlertService"/>: the last alerts and until when they hold, so every dashboard
/// render does not read the clouds again.
/// </summary>
public sealed class AlertCache
{
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Replaced whole (a reference), so a reader outside <see cref="Gate"/> never sees half an update.</summary>
    internal CachedAlerts? Alerts { get; set; }

    /// <summary>The roles found unused: the rule reads weeks of CloudTrail, and its answer changes by the day, so it is kept longer.</summary>
    internal CachedRoles? UnusedRoles { get; set; }

    /// <summary>Forgets everything (e.g. after an admin changed roles or assignments).</summary>
    public void Clear()
    {
        Alerts = null;
        UnusedRoles = null;
    }
}
