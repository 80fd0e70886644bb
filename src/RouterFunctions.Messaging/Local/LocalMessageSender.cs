using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RouterFunctions.Messaging.Local;

/// <summary>The local adapter of <see cref="IMessageSender"/>: the in-process queues.</summary>
public sealed class LocalMessageSender(LocalQueues queues) : IMessageSender
{
    public Task SendAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var target = queues[queue];
        foreach (var message in messages)
        {
            target.Send(message.Body, message.MessageId);
        }

        return Task.CompletedTask;
    }
}

public static class LocalMessagingServiceCollectionExtensions
{
    /// <summary>In-process queues behind <see cref="IMessageSender"/> (the host runs their consumers).</summary>
    public static IServiceCollection AddLocalMessaging(this IServiceCollection services)
    {
        services.TryAddSingleton<LocalQueues>();
        services.TryAddSingleton<IMessageSender, LocalMessageSender>();
        return services;
    }
}
