using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TrainWatt.Telemetry.Tests;

/// <summary>
/// Issue 13, M6: idle local connections to the metrics port must not exhaust the process's file descriptors (the
/// process meter reads /proc and needs them), nor keep a scraper out. Loopback only, bounded loops, a few seconds.
/// </summary>
/// <remarks>Lowers this process's RLIMIT_NOFILE for the test, so the test class runs alone (no parallel collection).</remarks>
[Collection(nameof(FileDescriptorLimit))]
public sealed class MetricsServerExhaustionTests
{
    private const int IdleClients = 200;

    [Fact]
    public async Task Two_Hundred_Idle_Connections_Hold_At_Most_The_Cap_And_A_Scrape_And_Proc_Still_Work()
    {
        var ct = TestContext.Current.CancellationToken;
        using var server = MetricsServer.Start(IPAddress.Loopback, 0, () => "trainwatt_up 1\n");
        var endpoint = server.Endpoint;
        var idle = new List<TcpClient>();
        int fdBefore = FileDescriptors.Open();

        // Given: the descriptor limit leaves room for the idle clients (this process's own sockets), the server's cap
        // and 64 to spare, as a process started with ulimit -n 512 would have with a few hundred idle scrapers.
        ulong limit = (ulong)(fdBefore + IdleClients + MetricsServer.DefaultMaxConnections + 64);
        int clientFailures = 0;
        string? procFailure = null;
        int serverHeld;
        int fdAfter;
        TimeSpan scrapeTook;
        string? scrape;
        using (FileDescriptors.LimitTo(limit))
        {
            try
            {
                // When: 200 connections are opened and never send a byte
                for (int i = 0; i < IdleClients; i++)
                {
                    TcpClient? client = null;
                    try
                    {
                        client = new TcpClient();
                        await client.ConnectAsync(endpoint, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(2), ct);
                        idle.Add(client);
                    }
                    catch (Exception e) when (e is SocketException or TimeoutException)
                    {
                        client?.Dispose();
                        clientFailures++;
                    }
                }

                // The server accepts in the background: let it settle (bounded), then count.
                var settle = Stopwatch.StartNew();
                int last = -1;
                while (settle.Elapsed < TimeSpan.FromSeconds(1))
                {
                    await Task.Delay(100, ct);
                    int now = FileDescriptors.Open();
                    if (now == last)
                    {
                        break;
                    }

                    last = now;
                }

                fdAfter = FileDescriptors.Open();
                serverHeld = fdAfter - fdBefore - idle.Count;

                // Then a normal scrape answers, within a bound, while the idle ones are still open
                var clock = Stopwatch.StartNew();
                scrape = await Scrape(endpoint, TimeSpan.FromSeconds(3), ct);
                scrapeTook = clock.Elapsed;

                // And the process can still open files (the process meter reads /proc/self/stat and /proc/PID/stat)
                try
                {
                    _ = await File.ReadAllTextAsync("/proc/self/stat", ct);
                }
                catch (IOException e)
                {
                    procFailure = e.Message;
                }
            }
            finally
            {
                foreach (var client in idle)
                {
                    client.Dispose();
                }
            }
        }

        string numbers = $"limit {limit}, fds before {fdBefore}, after {fdAfter} with {idle.Count} idle clients connected ({clientFailures} failed to connect), " +
            $"so the server held about {serverHeld}; the server counts {server.OpenConnections} open, {server.EvictedConnections} evicted, {server.RefusedConnections} refused; " +
            $"scrape after {scrapeTook.TotalMilliseconds:0} ms: {(scrape is null ? "no answer" : "answered")}; /proc: {procFailure ?? "readable"}";
        TestContext.Current.TestOutputHelper?.WriteLine(numbers);
        Assert.True(clientFailures == 0, numbers);
        Assert.True(server.OpenConnections <= MetricsServer.DefaultMaxConnections, numbers);
        Assert.True(serverHeld <= MetricsServer.DefaultMaxConnections + 8, numbers); // + a few runtime descriptors (epoll, threads)
        Assert.True(scrape is not null && scrape.Contains("trainwatt_up 1", StringComparison.Ordinal), numbers);
        Assert.True(scrapeTook < TimeSpan.FromSeconds(2), numbers);
        Assert.True(procFailure is null, numbers);
    }

    [Fact]
    public async Task An_Idle_Connection_Is_Closed_When_It_Sends_No_Request_Within_The_Timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        using var server = MetricsServer.Start(IPAddress.Loopback, 0, () => "trainwatt_up 1\n", requestTimeout: TimeSpan.FromMilliseconds(300));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Endpoint, ct);
        var clock = Stopwatch.StartNew();

        // The server closes it: the read ends (0 bytes, or a reset) instead of waiting for ever.
        int read;
        try
        {
            read = await client.GetStream().ReadAsync(new byte[64], ct).AsTask().WaitAsync(TimeSpan.FromSeconds(3), ct);
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
        await WaitUntil(() => server.OpenConnections == 0, TimeSpan.FromSeconds(2), ct);
        Assert.Equal(0, server.OpenConnections);
    }

    [Fact]
    public async Task A_Client_That_Sent_Its_Request_Is_Not_Evicted_By_Newcomers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var server = MetricsServer.Start(IPAddress.Loopback, 0, () => "trainwatt_up 1\n", maxConnections: 4);

        // Given: four idle connections fill the cap
        var idle = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var c = new TcpClient();
                idle.Add(c);
                await c.ConnectAsync(server.Endpoint, ct);
            }

            await WaitUntil(() => server.OpenConnections == 4, TimeSpan.FromSeconds(2), ct);

            // When: ten scrapes follow, one after the other
            for (int i = 0; i < 10; i++)
            {
                string? body = await Scrape(server.Endpoint, TimeSpan.FromSeconds(2), ct);

                // Then each is answered (it takes an idle one's slot), and the cap holds
                Assert.NotNull(body);
                Assert.Contains("trainwatt_up 1", body, StringComparison.Ordinal);
                Assert.InRange(server.OpenConnections, 0, 4);
            }
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    private static async Task<string?> Scrape(IPEndPoint endpoint, TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string response = await reader.ReadToEndAsync(timeout.Token);
            return response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) ? response : null;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan within, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < within)
        {
            await Task.Delay(20, ct);
        }
    }
}

/// <summary>Tests that change process-wide descriptor limits run alone.</summary>
[CollectionDefinition(nameof(FileDescriptorLimit), DisableParallelization = true)]
public sealed class FileDescriptorLimit;
