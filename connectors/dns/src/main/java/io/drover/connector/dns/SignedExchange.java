package io.drover.connector.dns;

import io.drover.connector.support.HumanDuration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * One request and its answer with the server, signed with the switch's TSIG key, over TCP. Only an
 * answer whose signature checks out is returned: an unsigned answer could come from anyone on the
 * path, and drover must not report a switch as done (or a state as true) on its word.
 *
 * <p>TCP rather than UDP: an exchange either completes or fails, answers are never truncated, and a
 * server that is not there refuses the connection at once instead of letting the timeout run out.
 */
final class SignedExchange {
    private final ServerAddress server;
    private final TSIG key;
    private final String keyName;
    private final String algorithm;
    private final String secretReference;
    private final Duration timeout;

    SignedExchange(ServerAddress server, DnsConfig.Tsig tsig, Duration timeout, Clock clock) {
        this.server = server;
        this.keyName = tsig.name();
        this.algorithm = tsig.algorithm().dnsName();
        this.secretReference = tsig.secret().reference();
        this.timeout = timeout;
        Name algorithmName = DnsValues.algorithm(tsig.algorithm());
        byte[] secret = DnsValues.keyBytes(tsig.secret().reveal(), secretReference);
        this.key = new TSIG(algorithmName, DnsValues.keyName(tsig.name()),
                new SecretKeySpec(secret, TSIG.nameToAlgorithm(algorithmName)), clock);
    }

    /**
     * Sends {@code request} and returns the server's verified answer, whatever its RCODE.
     *
     * @param what the request for messages, e.g. {@code "update"}
     * @throws IOException when the server cannot be reached, does not answer within the timeout,
     *                     rejects the key (the message says what to fix), or answers without a valid
     *                     signature
     */
    Message send(Message request, String what) throws IOException {
        InetSocketAddress address;
        try {
            address = server.resolve();
        } catch (UnknownHostException e) {
            throw new IOException("cannot look up the server's address " + server.host() + ": " + reason(e), e);
        }
        SimpleResolver resolver = new SimpleResolver(address);
        resolver.setTCP(true);
        resolver.setTimeout(timeout);
        resolver.setTSIGKey(key);
        Message answer;
        try {
            answer = resolver.send(request);
        } catch (IOException e) {
            if (timedOut(e)) {
                throw new IOException("no answer to the " + what + " within " + HumanDuration.format(timeout)
                        + " (timeout); the server is overloaded, or something on the way drops DNS over TCP", e);
            }
            throw new IOException("cannot reach the server for the " + what + ": " + reason(e), e);
        }
        TSIGRecord signature = answer.getTSIG();
        if (signature != null && signature.getError() != Rcode.NOERROR) {
            throw new IOException(keyRejected(signature.getError(), what));
        }
        if (!answer.isVerified()) {
            throw new IOException("the answer to the " + what + " (" + Rcode.string(answer.getRcode()) + ") "
                    + (answer.isSigned() ? "has a signature that does not verify with" : "is not signed with") + " key " + keyName
                    + "; it may not come from the server, or the server's key of that name has another secret");
        }
        return answer;
    }

    /** A TSIG error the server reported: these answers carry no valid signature, by the nature of the error. */
    private String keyRejected(int error, String what) {
        return switch (error) {
            case Rcode.BADKEY -> "the server does not know key " + keyName + " with algorithm " + algorithm + " (BADKEY) and refused the "
                    + what + ": add the key to the server's configuration, or correct tsig.name and tsig.algorithm";
            case Rcode.BADSIG -> "the server rejected the signature of key " + keyName + " (BADSIG) on the " + what + ": the secret from "
                    + secretReference + " is not the server's secret of key " + keyName;
            case Rcode.BADTIME -> "the server rejected the time of the signature (BADTIME) on the " + what
                    + ": the clocks of this host and the server differ by more than " + TSIG.FUDGE.toSeconds()
                    + " seconds; synchronize them (NTP)";
            default -> "the server rejected the signature of key " + keyName + " on the " + what + " (" + Rcode.TSIGstring(error) + ")";
        };
    }

    /**
     * dnsjava reports a timeout as a plain IOException whose message names the zone section of an
     * update as if it were a question; the cause tells a timeout apart.
     */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
