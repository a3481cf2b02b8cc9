using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Messaging;

/// <summary>
/// A temporary, exclusive, auto-delete queue bound to a MassTransit message exchange
/// (e.g. "Requesty.Contracts.Management:ApiKeyUpserted"), read with basic.get.
/// </summary>
public sealed class RabbitMqProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private RabbitMqProbe(IConnection connection, IChannel channel, string queue) =>
        (_connection, _channel, _queue) = (connection, channel, queue);

    public static async Task<RabbitMqProbe> BindAsync(string exchange)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMqUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        // Same declaration MassTransit uses (durable fanout), so it is a no-op if the exchange exists.
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, "");
        return new RabbitMqProbe(connection, channel, queue.QueueName);
    }

    /// <summary>Polls (bounded) until a message's "message" body satisfies <paramref name="match"/>.</summary>
    public async Task<JsonNode> WaitForAsync(Func<JsonNode, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var delivery = await _channel.BasicGetAsync(_queue, autoAck: true);
            if (delivery is null)
            {
                await Task.Delay(50);
                continue;
            }
            var envelope = JsonNode.Parse(Encoding.UTF8.GetString(delivery.Body.Span))!;
            var message = envelope["message"]!;
            if (match(message)) return message;
        }
        throw new TimeoutException($"No matching message on {_queue} within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
