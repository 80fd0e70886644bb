namespace RouterFunctions.Messaging;

/// <summary>A message that does not fit even an empty batch, i.e. exceeds the queue's maximum message size.</summary>
/// <remarks>Retrying cannot help, so this is its own type: callers can park the message instead of retrying it.</remarks>
public sealed class MessageTooLargeException : Exception
{
    public MessageTooLargeException()
    {
    }

    public MessageTooLargeException(string message)
        : base(message)
    {
    }

    public MessageTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MessageTooLargeException(string queue, string messageId, long maxSizeInBytes)
        : base($"Message '{messageId}' is too large for queue '{queue}': it does not fit an empty batch (at most {maxSizeInBytes} bytes).")
    {
        Queue = queue;
        MessageId = messageId;
        MaxSizeInBytes = maxSizeInBytes;
    }

    public string? Queue { get; }

    public string? MessageId { get; }

    public long MaxSizeInBytes { get; }
}
