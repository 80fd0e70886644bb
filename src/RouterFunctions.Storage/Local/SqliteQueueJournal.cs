using System.Collections.Concurrent;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Storage.Local;

/// <summary>
/// The local queues kept in the local database: a send is committed before it returns, a delivery's count is
/// committed as it starts (so a crash brings the message back with the next count), a completed message is deleted
/// (the file does not grow with the traffic), a dead-lettered one stays with its error. The ids of recent sends
/// (<see cref="InProcessQueue.DuplicateWindow"/> per queue) are kept too, so a resend is dropped across restarts.
/// </summary>
public sealed class SqliteQueueJournal(LocalDatabase database) : IQueueJournal
{
    // Sends between trims of the recent-id window: it holds between DuplicateWindow and DuplicateWindow + this ids.
    private const int TrimEvery = 1_000;

    private readonly ConcurrentDictionary<string, int> _sendsSinceTrim = new(StringComparer.Ordinal);

    public LocalMessage? Add(string queue, string messageId, string body)
    {
        var trim = _sendsSinceTrim.AddOrUpdate(queue, 1, (_, n) => n + 1) % TrimEvery == 0;
        return database.Write(commands =>
        {
            if (commands.Scalar("SELECT 1 FROM queue_ids WHERE queue = $q AND message_id = $m", ("$q", queue), ("$m", messageId)) is not null)
            {
                return null;
            }

            var sequence = (long)commands.Scalar(
                "INSERT INTO queue_messages (queue, message_id, body, deliveries) VALUES ($q, $m, $b, 0) RETURNING seq",
                ("$q", queue), ("$m", messageId), ("$b", body))!;
            commands.Execute("INSERT INTO queue_ids (queue, message_id, seq) VALUES ($q, $m, $s)", ("$q", queue), ("$m", messageId), ("$s", sequence));
            if (trim)
            {
                commands.Execute(
                    "DELETE FROM queue_ids WHERE queue = $q AND seq <= (SELECT seq FROM queue_ids WHERE queue = $q ORDER BY seq DESC LIMIT 1 OFFSET $w)",
                    ("$q", queue), ("$w", InProcessQueue.DuplicateWindow));
            }

            return new LocalMessage(messageId, body, 1) { Queue = queue, Sequence = sequence };
        }, deletes: trim ? TrimEvery : 0);
    }

    public void Delivering(LocalMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        database.Write(commands => commands.Execute("UPDATE queue_messages SET deliveries = $d WHERE seq = $s", ("$d", message.DeliveryCount), ("$s", message.Sequence)));
    }

    public void Complete(LocalMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        database.Write(commands => commands.Execute("DELETE FROM queue_messages WHERE seq = $s", ("$s", message.Sequence)), deletes: 1);
    }

    public void DeadLetter(LocalMessage message, string reason)
    {
        ArgumentNullException.ThrowIfNull(message);
        database.Write(commands => commands.Execute(
            "UPDATE queue_messages SET deliveries = $d, dead_letter_error = $e WHERE seq = $s",
            ("$d", message.DeliveryCount), ("$e", reason), ("$s", message.Sequence)));
    }

    public IReadOnlyList<LocalMessage> Unsettled(string queue) =>
        Read("SELECT seq, message_id, body, deliveries FROM queue_messages WHERE queue = $q AND dead_letter_error IS NULL ORDER BY seq", queue,
            r => new LocalMessage(r.GetString(1), r.GetString(2), r.GetInt32(3) + 1) { Queue = queue, Sequence = r.GetInt64(0) });

    public IReadOnlyList<(LocalMessage Message, string Error)> DeadLetters(string queue) =>
        Read("SELECT seq, message_id, body, deliveries, dead_letter_error FROM queue_messages WHERE queue = $q AND dead_letter_error IS NOT NULL ORDER BY seq", queue,
            r => (new LocalMessage(r.GetString(1), r.GetString(2), r.GetInt32(3)) { Queue = queue, Sequence = r.GetInt64(0) }, r.GetString(4)));

    private List<T> Read<T>(string sql, string queue, Func<Microsoft.Data.Sqlite.SqliteDataReader, T> map)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$q", queue);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
