using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TrainWatt.Telemetry;

/// <summary>
/// A minimal HTTP/1.1 server for <c>GET /metrics</c> (Prometheus text format 0.0.4) on a raw <see cref="TcpListener"/>:
/// one request per connection, then close. Chosen over prometheus-net and HttpListener: no dependency, no URL ACLs,
/// binds exactly the given address, and the exposition is four metric families we render ourselves.
/// </summary>
internal sealed class MetricsServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string> _render;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private MetricsServer(TcpListener listener, Func<string> render)
    {
        _listener = listener;
        _render = render;
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The bound endpoint (port resolved when 0 was asked).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts listening; throws <see cref="SocketException"/> when the address or port cannot be bound.</summary>
    public static MetricsServer Start(IPAddress address, int port, Func<string> render)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        return new MetricsServer(listener, render);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return; // listener stopped
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.ReceiveTimeout = 5000;
                var stream = client.GetStream();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && request.Length < 16384)
                {
                    int read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                string line = request.ToString().Split("\r\n")[0];
                string[] parts = line.Split(' ');
                (int status, string reason, string contentType, string body) = parts.Length >= 2 && parts[0] is "GET" or "HEAD"
                    ? parts[1] == "/metrics" || parts[1].StartsWith("/metrics?", StringComparison.Ordinal)
                        ? (200, "OK", "text/plain; version=0.0.4; charset=utf-8", _render())
                        : (404, "Not Found", "text/plain; charset=utf-8", "trainwatt serves /metrics only\n")
                    : (405, "Method Not Allowed", "text/plain; charset=utf-8", "GET /metrics\n");
                byte[] payload = Encoding.UTF8.GetBytes(body);
                string head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token).ConfigureAwait(false);
                if (parts[0] != "HEAD")
                {
                    await stream.WriteAsync(payload, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // The scraper went away; nothing to do.
            }
            catch (OperationCanceledException)
            {
                // Slow or stopped: drop the connection.
            }
            catch (SocketException)
            {
                // Same as IOException.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The loop ends on the listener's own exceptions, handled above.
        }

        _stop.Dispose();
    }
}
