// The Java TLS client (JSSE + PKIX), HTTPS endpoint identification on, the CA in a PKCS12
// truststore. Usage: java Client.java TRUSTSTORE PASSWORD HOST PORT. Exit 0 when it verifies.
import java.io.FileInputStream;
import java.net.Socket;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class Client {
    public static void main(String[] args) throws Exception {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            try (FileInputStream in = new FileInputStream(args[0])) {
                ts.load(in, args[1].toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            Socket plain = new Socket("127.0.0.1", Integer.parseInt(args[3]));
            plain.setSoTimeout(10000);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, args[2], Integer.parseInt(args[3]), true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            s.close();
        } catch (Exception e) {
            Throwable c = e;
            while (c.getCause() != null) c = c.getCause();
            System.out.println(e.getClass().getSimpleName() + ": " + c.getMessage());
            System.exit(1);
        }
    }
}
