using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Lifecycle;

/// <summary>The queue of operations waiting for the worker.</summary>
public sealed class OperationQueue
{
    private readonly Channel<Guid> channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public ValueTask EnqueueAsync(Guid operationId, CancellationToken cancellationToken = default) => channel.Writer.WriteAsync(operationId, cancellationToken);

    internal ChannelReader<Guid> Reader => channel.Reader;
}
