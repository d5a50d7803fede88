// The Java TLS client (JSSE with the PKIX trust manager, HTTPS endpoint identification on),
// for many cases in one JVM (a JVM start costs more than every handshake together).
// Usage: java Client CASES, where each line of CASES is "CAFILE HOST PORT". Prints one line
// per case: "accepts" or "refuses: REASON".
// The CA file is read with CertificateFactory, the reader `keytool -importcert` uses, into
// a PKCS12 trust store.
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class Client {
    static void connect(String caFile, String host, int port) throws Exception {
        Collection<? extends Certificate> cas;
        try (InputStream in = new FileInputStream(caFile)) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (cas.isEmpty()) throw new IllegalArgumentException("no certificate in the CA file");
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (Certificate c : cas) ts.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 10000);
            plain.setSoTimeout(10000);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            s.close();
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> cases = Files.readAllLines(Paths.get(args[0]));
        for (String line : cases) {
            String[] f = line.split(" ");
            try {
                connect(f[0], f[1], Integer.parseInt(f[2]));
                System.out.println("accepts");
            } catch (Exception e) {
                Throwable c = e;
                while (c.getCause() != null) c = c.getCause();
                String why = (e.getClass().getSimpleName() + ": " + c.getMessage()).replace('\n', ' ');
                System.out.println("refuses: " + why);
            }
        }
    }
}
