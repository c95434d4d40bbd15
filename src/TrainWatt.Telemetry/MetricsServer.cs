using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TrainWatt.Telemetry;

/// <summary>
/// A minimal HTTP/1.1 server for <c>GET /metrics</c> (Prometheus text format 0.0.4) on a raw <see cref="TcpListener"/>:
/// one request per connection, then close. Chosen over prometheus-net and HttpListener: no dependency, no URL ACLs,
/// binds exactly the given address, and the exposition is four metric families we render ourselves.
/// </summary>
/// <remarks>
/// <para>The endpoint must never starve the meters of file descriptors (the process meter opens /proc files on every
/// reading; issue 13, M6: 700 idle connections under <c>ulimit -n 512</c> stopped it for the rest of the run). So:</para>
/// <list type="bullet">
/// <item>At most <see cref="DefaultMaxConnections"/> connections are open at once.</item>
/// <item>A connection that has not sent its request head within the request timeout (5 s) is closed.</item>
/// <item>A new connection beyond the cap takes the slot of the oldest connection still waiting for its request (that
/// one is closed), so idle connections cannot keep a scraper out: a scraper sends its request at once and, once its
/// request has arrived, is never evicted. When every slot is serving a request, the new connection is accepted and
/// closed at once.</item>
/// <item>A failed accept (for example EMFILE, when the process is out of descriptors anyway) does not end the
/// endpoint: it backs off briefly and accepts again.</item>
/// </list>
/// </remarks>
internal sealed class MetricsServer : IDisposable
{
    /// <summary>The most connections open at once.</summary>
    public const int DefaultMaxConnections = 32;

    /// <summary>How long a connection may take to send its request and receive the answer.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan AcceptBackoff = TimeSpan.FromMilliseconds(100);

    private readonly TcpListener _listener;
    private readonly Func<string> _render;
    private readonly int _maxConnections;
    private readonly TimeSpan _requestTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();

    // Connections that have not yet sent their request head, oldest first: the ones a newcomer may evict. Under _gate.
    private readonly LinkedList<Connection> _waiting = new();
    private readonly Task _loop;
    private int _open;
    private long _evicted;
    private long _refused;

    private MetricsServer(TcpListener listener, Func<string> render, int maxConnections, TimeSpan requestTimeout)
    {
        _listener = listener;
        _render = render;
        _maxConnections = maxConnections;
        _requestTimeout = requestTimeout;
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The bound endpoint (port resolved when 0 was asked).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections open now (accepted and not yet closed); never more than the cap.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Idle connections closed to make room for a newer one, since the start.</summary>
    public long EvictedConnections => Interlocked.Read(ref _evicted);

    /// <summary>Connections closed at once because every slot was serving a request, since the start.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>Starts listening; throws <see cref="SocketException"/> when the address or port cannot be bound.</summary>
    /// <param name="address">The address to bind.</param>
    /// <param name="port">The port; 0 for a free one.</param>
    /// <param name="render">The exposition text, rendered per request.</param>
    /// <param name="maxConnections">The most connections open at once (default <see cref="DefaultMaxConnections"/>).</param>
    /// <param name="requestTimeout">How long a connection may take (default <see cref="DefaultRequestTimeout"/>).</param>
    public static MetricsServer Start(IPAddress address, int port, Func<string> render, int maxConnections = DefaultMaxConnections, TimeSpan? requestTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        var listener = new TcpListener(address, port);
        listener.Start();
        return new MetricsServer(listener, render, maxConnections, requestTimeout ?? DefaultRequestTimeout);
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
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_stop.IsCancellationRequested)
            {
                // Out of descriptors (EMFILE/ENFILE) or a connection reset before it was accepted: not the end of the
                // endpoint. Back off so as not to spin while the process is short of descriptors, then accept again.
                try
                {
                    await Task.Delay(AcceptBackoff, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }
            catch (SocketException)
            {
                return; // listener stopped
            }

            if (Admit(client) is { } connection)
            {
                _ = Task.Run(() => Serve(connection));
            }
        }
    }

    /// <summary>Takes a slot for <paramref name="client"/>, evicting the oldest idle connection when at the cap; null when refused (closed).</summary>
    private Connection? Admit(TcpClient client)
    {
        Connection? evicted = null;
        Connection? admitted = null;
        lock (_gate)
        {
            if (_open >= _maxConnections && _waiting.First is { } oldest)
            {
                evicted = oldest.Value;
                RemoveWaiting(evicted);
                ReleaseSlot(evicted); // its slot passes to the newcomer; it is closed below
            }

            if (_open < _maxConnections)
            {
                _open++;
                admitted = new Connection(client, _stop.Token, _requestTimeout);
                admitted.Node = _waiting.AddLast(admitted);
            }
        }

        if (evicted is not null)
        {
            Interlocked.Increment(ref _evicted);
            evicted.Close();
        }

        if (admitted is null)
        {
            Interlocked.Increment(ref _refused);
            client.Dispose();
        }

        return admitted;
    }

    private void RemoveWaiting(Connection connection)
    {
        if (connection.Node is { } node)
        {
            _waiting.Remove(node);
            connection.Node = null;
        }
    }

    /// <summary>Frees <paramref name="connection"/>'s slot, once. Caller holds _gate.</summary>
    private void ReleaseSlot(Connection connection)
    {
        if (!connection.Released)
        {
            connection.Released = true;
            _open--;
        }
    }

    private async Task Serve(Connection connection)
    {
        try
        {
            var token = connection.Timeout.Token;
            var stream = connection.Client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && request.Length < 16384)
            {
                int read = await stream.ReadAsync(buffer, token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            lock (_gate)
            {
                if (connection.Released)
                {
                    return; // evicted while its request arrived
                }

                RemoveWaiting(connection); // a request is in: no longer an idle connection a newcomer may evict
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
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), token).ConfigureAwait(false);
            if (parts[0] != "HEAD")
            {
                await stream.WriteAsync(payload, token).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The scraper went away; nothing to do.
        }
        catch (OperationCanceledException)
        {
            // Slow, evicted or stopped: drop the connection.
        }
        catch (SocketException)
        {
            // Same as IOException.
        }
        catch (ObjectDisposedException)
        {
            // Evicted: its socket was closed under the read.
        }
        finally
        {
            lock (_gate)
            {
                RemoveWaiting(connection);
                ReleaseSlot(connection);
            }

            connection.Close();
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

        Connection[] idle;
        lock (_gate)
        {
            idle = [.. _waiting];
        }

        foreach (var connection in idle)
        {
            connection.Close();
        }

        _stop.Dispose();
    }

    /// <summary>One accepted connection: its socket, its deadline, and its place in the idle list.</summary>
    private sealed class Connection
    {
        private int _closed;

        public Connection(TcpClient client, CancellationToken stop, TimeSpan timeout)
        {
            Client = client;
            Timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Timeout.CancelAfter(timeout);
        }

        public TcpClient Client { get; }

        public CancellationTokenSource Timeout { get; }

        /// <summary>Its node in the idle list while it waits for its request; under the server's gate.</summary>
        public LinkedListNode<Connection>? Node { get; set; }

        /// <summary>Whether its slot was given back; under the server's gate.</summary>
        public bool Released { get; set; }

        /// <summary>Cancels its pending read or write and closes the socket (its descriptor), once.</summary>
        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }

            try
            {
                Timeout.Cancel();
            }
            catch (AggregateException)
            {
                // A callback registered on the token threw; the socket is closed below all the same.
            }

            Client.Dispose();
            Timeout.Dispose();
        }
    }
}
