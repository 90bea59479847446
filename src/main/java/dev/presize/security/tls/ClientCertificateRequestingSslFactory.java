package dev.presize.security.tls;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.netty.NettySslContextBuilder;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.http.server.netty.ssl.NettyServerSslFactory;
import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import jakarta.inject.Singleton;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * Makes the TLS layer behave as kube-apiserver's: with {@code client-authentication: want} a client
 * certificate is requested, and whatever certificate the client presents is accepted at the
 * handshake. Micronaut's default trust manager would instead fail the handshake for a certificate
 * of an unknown CA, before authentication could answer 401, and could not follow the client CA
 * of the cluster changing at run time.
 *
 * <p>The TLS layer still checks that the client holds the certificate's private key (the
 * CertificateVerify message). <b>The chain itself is not verified here</b>: whoever reads
 * {@code HttpRequest.getCertificate()} must verify it against {@code client-ca-file} /
 * {@code requestheader-client-ca-file} before trusting any name in it.
 */
@Singleton
@Replaces(NettyServerSslFactory.class)
final class ClientCertificateRequestingSslFactory extends NettyServerSslFactory {

    @Override
    public NettySslContextBuilder serverBuilder(NettyHttpServerConfiguration.NettyListenerConfiguration listener) {
        return serverBuilder();
    }

    @Override
    public NettySslContextBuilder serverBuilder() {
        return new NettySslContextBuilder(true) {
            @Override
            protected TrustManagerFactory createTrustManagerFactory() {
                return new AnyClientCertificate();
            }
        };
    }

    /** Trusts every client chain at the TLS layer and names no acceptable issuers. */
    private static final class AnyClientCertificate extends SimpleTrustManagerFactory {
        private static final X509Certificate[] NONE = new X509Certificate[0];
        private static final TrustManager MANAGER = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
                throw new java.security.cert.CertificateException("a server trust manager does not verify servers");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws java.security.cert.CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws java.security.cert.CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return NONE;
            }
        };

        @Override
        protected void engineInit(KeyStore keyStore) {
        }

        @Override
        protected void engineInit(ManagerFactoryParameters params) {
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            return new TrustManager[] {MANAGER};
        }
    }
}
