using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Outbox;

/// <summary>
/// Consumes everything published to a MassTransit message exchange through a temporary exclusive queue
/// and keeps the "message" part of every delivery (duplicates included).
/// </summary>
public sealed class ExchangeRecorder : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<JsonNode> _messages = new();

    private ExchangeRecorder(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public IReadOnlyCollection<JsonNode> Messages => _messages;

    public static async Task<ExchangeRecorder> StartAsync(string exchange)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMqUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var recorder = new ExchangeRecorder(connection, channel);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, "");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            recorder._messages.Enqueue(JsonNode.Parse(delivery.Body.Span)!["message"]!);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
