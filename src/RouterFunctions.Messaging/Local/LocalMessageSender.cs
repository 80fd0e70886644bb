using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RouterFunctions.Messaging.Local;

/// <summary>The local adapter of <see cref="IMessageSender"/>: the local queues; returns once each message is kept by the queues' journal.</summary>
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
    /// <summary>
    /// Local queues behind <see cref="IMessageSender"/> (the host runs their consumers), kept by the
    /// <see cref="IQueueJournal"/> registered before this (the application's durable one), else in memory.
    /// </summary>
    public static IServiceCollection AddLocalMessaging(this IServiceCollection services)
    {
        services.TryAddSingleton<IQueueJournal, MemoryQueueJournal>();
        services.TryAddSingleton<LocalQueues>();
        services.TryAddSingleton<IMessageSender, LocalMessageSender>();
        return services;
    }
}
