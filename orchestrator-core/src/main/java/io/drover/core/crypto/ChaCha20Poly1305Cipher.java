package io.drover.core.crypto;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 (RFC 8439) as a JCA cipher: the JDK's ChaCha20 (with its intrinsic) for the
 * key stream and drover's {@link Poly1305} for the tag. Registered ahead of the JDK by
 * {@link FastAead#install()}, so that age encryption and decryption (jagged asks JCA for
 * "ChaCha20-Poly1305") use it. Whole messages only: input is buffered until {@code doFinal}, as
 * decryption must check the tag before it releases any plaintext. No key/nonce reuse check: age
 * derives a fresh payload key for every object. Other users of the algorithm in the same JVM (a TLS
 * suite, say) get it too; it computes the JDK's bytes.
 */
public final class ChaCha20Poly1305Cipher extends CipherSpi {
    private static final int NONCE_SIZE = 12;
    private static final byte[] ZEROS = new byte[64];
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher chacha;
    private final Poly1305 poly = new Poly1305();
    private final byte[] polyKey = new byte[64];
    private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
    private final ByteArrayOutputStream aad = new ByteArrayOutputStream();
    private int mode;
    private SecretKeySpec key;
    private byte[] nonce;

    public ChaCha20Poly1305Cipher() throws NoSuchAlgorithmException, NoSuchPaddingException {
        try {
            chacha = Cipher.getInstance("ChaCha20", "SunJCE");
        } catch (java.security.NoSuchProviderException e) {
            throw new NoSuchAlgorithmException("ChaCha20 of the SunJCE provider is not available", e);
        }
    }

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
        if (!mode.equalsIgnoreCase("None")) {
            throw new NoSuchAlgorithmException("ChaCha20-Poly1305 has no mode " + mode);
        }
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!padding.equalsIgnoreCase("NoPadding")) {
            throw new NoSuchPaddingException("ChaCha20-Poly1305 has no padding " + padding);
        }
    }

    @Override
    protected int engineGetBlockSize() {
        return 0;
    }

    @Override
    protected int engineGetOutputSize(int inputLength) {
        int total = buffered.size() + inputLength;
        return mode == Cipher.ENCRYPT_MODE ? total + Poly1305.TAG_SIZE : Math.max(total - Poly1305.TAG_SIZE, 0);
    }

    @Override
    protected byte[] engineGetIV() {
        return nonce == null ? null : nonce.clone();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        if (nonce == null) {
            return null;
        }
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("ChaCha20-Poly1305");
            parameters.init(new IvParameterSpec(nonce));
            return parameters;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        if (opmode != Cipher.ENCRYPT_MODE && opmode != Cipher.WRAP_MODE) {
            throw new InvalidKeyException("ChaCha20-Poly1305 decryption needs the nonce as an IvParameterSpec");
        }
        byte[] fresh = new byte[NONCE_SIZE];
        (random == null ? new SecureRandom() : random).nextBytes(fresh);
        init(opmode, key, fresh);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params == null) {
            engineInit(opmode, key, random);
            return;
        }
        if (!(params instanceof IvParameterSpec iv)) {
            throw new InvalidAlgorithmParameterException("ChaCha20-Poly1305 takes an IvParameterSpec, not " + params);
        }
        if (iv.getIV().length != NONCE_SIZE) {
            throw new InvalidAlgorithmParameterException("the ChaCha20-Poly1305 nonce has 12 bytes, not " + iv.getIV().length);
        }
        init(opmode, key, iv.getIV());
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        try {
            engineInit(opmode, key, params == null ? null : params.getParameterSpec(IvParameterSpec.class), random);
        } catch (java.security.spec.InvalidParameterSpecException e) {
            throw new InvalidAlgorithmParameterException(e);
        }
    }

    private void init(int opmode, Key key, byte[] nonce) throws InvalidKeyException {
        byte[] raw = key.getEncoded();
        if (raw == null || raw.length != 32) {
            throw new InvalidKeyException("ChaCha20-Poly1305 needs a 256-bit key");
        }
        this.mode = opmode == Cipher.WRAP_MODE ? Cipher.ENCRYPT_MODE : opmode == Cipher.UNWRAP_MODE ? Cipher.DECRYPT_MODE : opmode;
        this.key = new SecretKeySpec(raw, "ChaCha20");
        Arrays.fill(raw, (byte) 0);
        this.nonce = nonce.clone();
        buffered.reset();
        aad.reset();
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int length) {
        if (buffered.size() > 0) {
            throw new IllegalStateException("additional authenticated data must come before the message");
        }
        aad.write(src, offset, length);
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int offset, int length) {
        buffered.write(input, offset, length);
        return new byte[0];
    }

    @Override
    protected int engineUpdate(byte[] input, int offset, int length, byte[] output, int outputOffset) {
        buffered.write(input, offset, length);
        return 0;
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int offset, int length) throws IllegalBlockSizeException, BadPaddingException {
        byte[] out = new byte[engineGetOutputSize(length)];
        try {
            int n = engineDoFinal(input, offset, length, out, 0);
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected int engineDoFinal(byte[] input, int offset, int length, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        if (key == null) {
            throw new IllegalStateException("ChaCha20-Poly1305 cipher not initialized");
        }
        byte[] in = input == null ? new byte[0] : input;
        int inOffset = input == null ? 0 : offset;
        int inLength = input == null ? 0 : length;
        if (buffered.size() > 0) {
            buffered.write(in, inOffset, inLength);
            in = buffered.toByteArray();
            inOffset = 0;
            inLength = in.length;
        }
        int needed = mode == Cipher.ENCRYPT_MODE ? inLength + Poly1305.TAG_SIZE : inLength - Poly1305.TAG_SIZE;
        if (needed < 0) {
            throw new AEADBadTagException("input is shorter than the tag");
        }
        if (output.length - outputOffset < needed) {
            throw new ShortBufferException("ChaCha20-Poly1305 needs " + needed + " bytes of output");
        }
        try {
            // block 0 of the key stream is the one-time Poly1305 key; the message uses blocks 1...
            chacha.init(Cipher.DECRYPT_MODE, key, new ChaCha20ParameterSpec(nonce, 0));
            chacha.update(ZEROS, 0, 64, polyKey, 0);
            poly.init(polyKey, 0);
            if (aad.size() > 0) {
                byte[] additional = aad.toByteArray();
                poly.update(additional, 0, additional.length);
                poly.padToBlock();
            }
            if (mode == Cipher.ENCRYPT_MODE) {
                int n = chacha.doFinal(in, inOffset, inLength, output, outputOffset);
                authenticate(output, outputOffset, n);
                poly.finish(output, outputOffset + n);
                return n + Poly1305.TAG_SIZE;
            }
            int cipherLength = inLength - Poly1305.TAG_SIZE;
            authenticate(in, inOffset, cipherLength);
            byte[] tag = new byte[Poly1305.TAG_SIZE];
            poly.finish(tag, 0);
            if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(in, inOffset + cipherLength, inOffset + inLength))) {
                throw new AEADBadTagException("Tag mismatch");
            }
            return chacha.doFinal(in, inOffset, cipherLength, output, outputOffset);
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("ChaCha20 refused its key stream setup", e);
        } finally {
            Arrays.fill(polyKey, (byte) 0);
            buffered.reset();
            aad.reset();
        }
    }

    /** The rest of the MAC input after the additional data: ciphertext, its padding and both lengths. */
    private void authenticate(byte[] ciphertext, int offset, int length) {
        poly.update(ciphertext, offset, length);
        poly.padToBlock();
        byte[] lengths = new byte[16];
        LE_LONG.set(lengths, 0, (long) aad.size());
        LE_LONG.set(lengths, 8, (long) length);
        poly.update(lengths, 0, 16);
    }
}
