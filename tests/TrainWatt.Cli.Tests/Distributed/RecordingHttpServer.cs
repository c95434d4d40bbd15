using System.Net;
using System.Net.Sockets;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (HttpListener) that records every request and answers with the next status of a
/// script (then 200): stands in for MLflow's tracking server and the Prometheus Pushgateway.
/// </summary>
internal sealed class RecordingHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<int> _statuses;
    private readonly List<RecordedRequest> _requests = [];
    private readonly Task _loop;

    public RecordingHttpServer(params int[] statuses)
    {
        _statuses = new Queue<int>(statuses);
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // The port was taken between probing and binding: try another.
            }
        }

        _loop = Task.Run(Loop);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            string body = await reader.ReadToEndAsync();
            int status;
            lock (_requests)
            {
                status = _statuses.Count > 0 ? _statuses.Dequeue() : 200;
                _requests.Add(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body, status, context.Request.Headers["Authorization"]));
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            byte[] payload = "{}"u8.ToArray();
            await context.Response.OutputStream.WriteAsync(payload);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(2));
    }
}

internal sealed record RecordedRequest(string Method, string Path, string? ContentType, string Body, int Status, string? Authorization = null);
