package io.drover.core.config;

import io.drover.core.model.Secret;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:/abs/path}} references. Deliberately hand-written
 * instead of a general substitutor: no other lookup ({@code sys}, {@code script}, {@code dns}...)
 * may ever run from a config file. Problem messages name the variable or path, never a value.
 */
final class ReferenceResolver {
    static final String SECRET_FORMS = "${env:NAME} or ${file:/path}";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A resolved value, or the problems that kept it from resolving. */
    record Resolution<T>(T value, List<String> problems) {
        Resolution {
            problems = List.copyOf(problems);
        }

        static <T> Resolution<T> of(T value) {
            return new Resolution<>(Objects.requireNonNull(value), List.of());
        }

        static <T> Resolution<T> failed(String problem) {
            return new Resolution<>(null, List.of(problem));
        }

        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Function<String, String> env;

    ReferenceResolver(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** Expands every {@code ${env:NAME}} in an ordinary string; any other reference is a problem. */
    Resolution<String> expand(String text) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        List<String> problems = new ArrayList<>();
        while (m.find()) {
            String reference = m.group();
            String body = m.group(1);
            String replacement = "";
            if (body.startsWith("env:")) {
                Resolution<String> value = envValue(body.substring(4), reference, false);
                problems.addAll(value.problems());
                replacement = value.ok() ? value.value() : "";
            } else if (body.startsWith("file:")) {
                problems.add(reference + ": ${file:...} references are allowed only in secret settings;"
                        + " here write the value or use ${env:NAME}");
            } else {
                problems.add("unsupported reference " + reference + "; only ${env:NAME} is expanded here");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return problems.isEmpty() ? Resolution.of(out.toString()) : new Resolution<>(null, problems);
    }

    /** Resolves a secret, which must be exactly one reference and never a literal. */
    Resolution<Secret> secret(String text) {
        String reference = text.trim();
        Matcher m = REFERENCE.matcher(reference);
        if (!m.matches()) {
            return Resolution.failed("secrets must be given as " + SECRET_FORMS + ", never written into the config");
        }
        String body = m.group(1);
        Resolution<String> value;
        if (body.startsWith("env:")) {
            value = envValue(body.substring(4), reference, true);
        } else if (body.startsWith("file:")) {
            value = fileValue(body.substring(5), reference);
        } else {
            return Resolution.failed("unsupported reference " + reference + "; secrets must be given as " + SECRET_FORMS);
        }
        return value.ok() ? Resolution.of(Secret.of(value.value(), reference)) : new Resolution<>(null, value.problems());
    }

    private Resolution<String> envValue(String name, String reference, boolean secret) {
        if (!ENV_NAME.matcher(name).matches()) {
            return Resolution.failed(reference + ": '" + name + "' is not a valid environment variable name");
        }
        String value = env.apply(name);
        if (value == null) {
            return Resolution.failed("environment variable " + name + " (from " + reference + ") is not set");
        }
        if (secret && value.isEmpty()) {
            return Resolution.failed("environment variable " + name + " (from " + reference + ") is empty");
        }
        return Resolution.of(value);
    }

    private static Resolution<String> fileValue(String pathText, String reference) {
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            return Resolution.failed(reference + ": '" + pathText + "' is not a valid path");
        }
        if (!path.isAbsolute()) {
            return Resolution.failed(reference + ": secret file paths must be absolute, e.g. ${file:/etc/drover/key.txt}");
        }
        try {
            return Resolution.of(stripOneNewline(Files.readString(path)));
        } catch (NoSuchFileException e) {
            return Resolution.failed("secret file " + path + " does not exist");
        } catch (AccessDeniedException e) {
            return Resolution.failed("secret file " + path + " is not readable (permission denied)");
        } catch (CharacterCodingException e) {
            return Resolution.failed("secret file " + path + " is not UTF-8 text");
        } catch (IOException e) {
            // The exception message names the path and the reason, never the contents.
            return Resolution.failed("cannot read secret file " + path + ": " + e.getClass().getSimpleName());
        }
    }

    // Editors and `echo` add one newline; it is never part of a key or password.
    private static String stripOneNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        if (content.endsWith("\n")) {
            return content.substring(0, content.length() - 1);
        }
        return content;
    }
}
