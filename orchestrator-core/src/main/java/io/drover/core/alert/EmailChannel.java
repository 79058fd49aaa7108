package io.drover.core.alert;

import io.drover.core.config.AlertsConfig;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.Properties;

/** Sends alerts as plain-text e-mail over SMTP (STARTTLS by default, implicit TLS, or none for a local relay). */
public final class EmailChannel implements AlertChannel {
    private final AlertsConfig.Email config;
    private final Session session;

    public EmailChannel(AlertsConfig.Email config) {
        this.config = config;
        AlertsConfig.Smtp smtp = config.smtp();
        boolean ssl = "ssl".equals(smtp.tls());
        String protocol = ssl ? "smtps" : "smtp";
        Properties props = new Properties();
        String prefix = "mail." + protocol + ".";
        props.put("mail.transport.protocol", protocol);
        props.put(prefix + "host", smtp.host());
        props.put(prefix + "port", Integer.toString(smtp.port()));
        props.put(prefix + "connectiontimeout", Long.toString(smtp.timeout().toMillis()));
        props.put(prefix + "timeout", Long.toString(smtp.timeout().toMillis()));
        props.put(prefix + "writetimeout", Long.toString(smtp.timeout().toMillis()));
        if ("starttls".equals(smtp.tls())) {
            // Required, not opportunistic: a server that does not offer STARTTLS must not get the password in clear.
            props.put(prefix + "starttls.enable", "true");
            props.put(prefix + "starttls.required", "true");
        }
        if (ssl || "starttls".equals(smtp.tls())) {
            props.put(prefix + "ssl.checkserveridentity", "true");
        }
        props.put(prefix + "auth", Boolean.toString(smtp.user().isPresent()));
        Authenticator authenticator = smtp.user().isEmpty() ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.user().get(), smtp.password().map(s -> s.reveal()).orElse(""));
            }
        };
        this.session = Session.getInstance(props, authenticator);
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(Alert alert, int suppressed) throws IOException {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(config.from(), true));
            for (String to : config.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            }
            message.setSubject("[drover] " + alert.title(), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(alert.at()));
            message.setHeader("X-Drover-Alert-Key", alert.key());
            message.setText(body(alert, suppressed), StandardCharsets.UTF_8.name());
            Transport.send(message);
        } catch (AddressException e) {
            throw new IOException("e-mail alert not sent: invalid address (" + e.getMessage() + ")");
        } catch (MessagingException e) {
            throw new IOException("e-mail alert via " + config.smtp().host() + ":" + config.smtp().port()
                    + " failed: " + describe(e));
        }
    }

    static String body(Alert alert, int suppressed) {
        StringBuilder body = new StringBuilder(alert.text()).append("\n\n");
        for (Map.Entry<String, Object> field : alert.fields().entrySet()) {
            body.append(field.getKey()).append(": ").append(field.getValue()).append('\n');
        }
        body.append("at: ").append(alert.at()).append('\n');
        if (suppressed > 0) {
            body.append('\n').append(suppressed).append(" more alerts were held back by the rate limit since the last one.\n");
        }
        return body.toString();
    }

    /** The innermost cause, which says what went wrong (refused, timed out, authentication failed). */
    private static String describe(MessagingException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        return cause == e ? message : cause.getClass().getSimpleName() + ": " + message;
    }
}
