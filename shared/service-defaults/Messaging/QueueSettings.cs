using Microsoft.Extensions.Configuration;

namespace Requesty.ServiceDefaults;

/// <summary>
/// Name and lifetime of a consumer queue. RabbitMq:QueuePrefix isolates parallel test runs on a
/// shared vhost; RabbitMq:TemporaryQueues=true makes the queue non-durable and auto-deleted so
/// test queues do not keep collecting messages after the test. RabbitMq:ConcurrencyLimit caps
/// messages processed at once (1 gives strict FIFO processing) where the endpoint honours it.
/// </summary>
public sealed record QueueSettings(string Name, bool Durable, bool AutoDelete, int? ConcurrencyLimit)
{
    public static QueueSettings From(IConfiguration configuration, string baseName)
    {
        var prefix = configuration["RabbitMq:QueuePrefix"] ?? "";
        var temporary = configuration.GetValue("RabbitMq:TemporaryQueues", false);
        var limit = configuration.GetValue<int?>("RabbitMq:ConcurrencyLimit");
        return new QueueSettings(prefix + baseName, Durable: !temporary, AutoDelete: temporary, limit is > 0 ? limit : null);
    }
}
