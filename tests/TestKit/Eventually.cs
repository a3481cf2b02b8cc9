namespace Requesty.TestKit;

/// <summary>Polls a condition until it holds or the deadline passes (for asynchronous consumers).</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await probe();
                if (value is not null && !Equals(value, default(T))) return value;
            }
            catch (Exception ex)
            {
                last = ex;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Condition not met within {timeout ?? TimeSpan.FromSeconds(20)}: {because}", last);
    }
}
