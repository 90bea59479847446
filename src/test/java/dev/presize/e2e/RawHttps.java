package dev.presize.e2e;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends exact bytes over TLS (or plain TCP) to the server and reads what comes back: the requests
 * java.net.http refuses to send (bad percent-encoding, bad request lines, restricted or malformed
 * headers, conflicting framing) and TLS variants (SNI, ALPN, protocol versions). The request is
 * written on its own thread, because the server may answer and close before a large request has
 * been written, and the answer is what the test is about.
 */
final class RawHttps {

    /** TLS settings of one connection; {@code sni == null} sends no SNI (as for an IP address). */
    record Tls(boolean tls, String sni, List<String> alpn, List<String> protocols) {
        static final Tls DEFAULT = new Tls(true, null, List.of("http/1.1"), List.of());

        static Tls sni(String host) {
            return new Tls(true, host, List.of("http/1.1"), List.of());
        }

        static Tls offering(String... protocols) {
            return new Tls(true, null, List.of(protocols), List.of());
        }

        static Tls protocols(String... versions) {
            return new Tls(true, null, List.of("http/1.1"), List.of(versions));
        }

        static Tls plaintext() {
            return new Tls(false, null, List.of(), List.of());
        }
    }

    /**
     * What happened on the connection.
     *
     * @param handshakeFailure the TLS handshake's failure, null when it succeeded
     * @param code status code of the first response, -1 when none arrived
     * @param body the first response's body (by Content-Length or chunked; else up to the close)
     * @param raw every byte received, for failure messages
     */
    record Answer(String handshakeFailure, int code, String statusLine, Map<String, List<String>> headers,
                  String body, String raw) {

        boolean answered() {
            return code > 0;
        }

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        @Override
        public String toString() {
            if (handshakeFailure != null) {
                return "TLS handshake failed: " + handshakeFailure;
            }
            return raw.isEmpty() ? "(no answer)" : HostileCases.printable(raw, 600);
        }
    }

    private RawHttps() {
    }

    static Answer exchange(int port, SSLContext ssl, Tls tls, byte[] request, Duration readTimeout) {
        try (Socket socket = open(port, ssl, tls)) {
            socket.setSoTimeout((int) readTimeout.toMillis());
            Thread writer = new Thread(() -> write(socket, request), "raw-https-writer");
            writer.setDaemon(true);
            writer.start();
            byte[] received = read(socket.getInputStream());
            writer.join(readTimeout.toMillis());
            return parse(received);
        } catch (HandshakeFailed e) {
            return new Answer(e.getMessage(), -1, "", Map.of(), "", "");
        } catch (IOException e) {
            return new Answer(null, -1, "", Map.of(), "", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Socket open(int port, SSLContext ssl, Tls tls) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        if (!tls.tls()) {
            return plain;
        }
        // Layered on an unresolved-name socket, so nothing but the parameters below decides the SNI.
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(tls.sni() == null ? List.of() : List.of(new SNIHostName(tls.sni())));
        p.setApplicationProtocols(tls.alpn().toArray(String[]::new));
        if (!tls.protocols().isEmpty()) {
            p.setProtocols(tls.protocols().toArray(String[]::new));
        }
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        try {
            s.startHandshake();
        } catch (IOException e) {
            s.close();
            throw new HandshakeFailed(e.toString());
        }
        return s;
    }

    private static void write(Socket socket, byte[] request) {
        try {
            OutputStream out = socket.getOutputStream();
            // In pieces, so a server that answers early is seen answering early.
            for (int off = 0; off < request.length; off += 16 * 1024) {
                out.write(request, off, Math.min(16 * 1024, request.length - off));
            }
            out.flush();
        } catch (IOException e) {
            // The server closed the connection while the request was still being written: what it
            // answered before that is read by the other side.
        }
    }

    /** Reads until the first response is complete, the peer closes, or nothing more arrives in time. */
    private static byte[] read(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                if (complete(buf.toByteArray())) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // keep-alive connection with nothing (more) to say, or a server that waits for more input
        } catch (IOException e) {
            // reset after the answer: what was read stands
        }
        return buf.toByteArray();
    }

    private static boolean complete(byte[] data) {
        String s = new String(data, StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Map<String, List<String>> headers = headers(s.substring(0, end));
        if (headers.containsKey("content-length")) {
            try {
                return data.length >= end + 4 + Long.parseLong(headers.get("content-length").get(0).trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (headers.getOrDefault("transfer-encoding", List.of()).stream().anyMatch(v -> v.contains("chunked"))) {
            return s.indexOf("\r\n0\r\n\r\n", end) >= 0 || s.startsWith("0\r\n\r\n", end + 4);
        }
        return s.startsWith("HTTP/") && (s.contains(" 204 ") || s.contains(" 304 "));
    }

    private static Answer parse(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        String latin = new String(data, StandardCharsets.ISO_8859_1);
        int end = latin.indexOf("\r\n\r\n");
        if (!latin.startsWith("HTTP/") || end < 0) {
            return new Answer(null, -1, "", Map.of(), "", s);
        }
        String head = latin.substring(0, end);
        String statusLine = head.lines().findFirst().orElse("");
        String[] parts = statusLine.split(" ", 3);
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            return new Answer(null, -1, statusLine, Map.of(), "", s);
        }
        Map<String, List<String>> headers = headers(head);
        byte[] rest = java.util.Arrays.copyOfRange(data, end + 4, data.length);
        String body;
        List<String> length = headers.get("content-length");
        if (length != null) {
            int n = (int) Math.min(rest.length, Long.parseLong(length.get(0).trim()));
            body = new String(rest, 0, n, StandardCharsets.UTF_8);
        } else if (headers.getOrDefault("transfer-encoding", List.of()).stream().anyMatch(v -> v.contains("chunked"))) {
            body = dechunk(new String(rest, StandardCharsets.UTF_8));
        } else {
            body = new String(rest, StandardCharsets.UTF_8);
        }
        return new Answer(null, code, statusLine, headers, body, s);
    }

    private static Map<String, List<String>> headers(String head) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> lines = head.lines().skip(1).toList();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (pos < s.length()) {
            int eol = s.indexOf("\r\n", pos);
            if (eol < 0) {
                break;
            }
            int size;
            try {
                size = Integer.parseInt(s.substring(pos, eol).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int from = eol + 2;
            out.append(s, from, Math.min(s.length(), from + size));
            pos = from + size + 2;
        }
        return out.toString();
    }

    private static final class HandshakeFailed extends IOException {
        HandshakeFailed(String message) {
            super(message);
        }
    }
}
