import { createHash, createPublicKey } from "node:crypto";

/**
 * The SSH public key wire format (RFC 4253 §6.6, RFC 5656, RFC 8709, OpenSSH's PROTOCOL.certkeys
 * and PROTOCOL.u2f): what a base64 blob of an authorized_keys line holds, checked as OpenSSH's
 * sshkey_from_blob checks it, with its size as `ssh-keygen -l` prints it.
 */

const CURVES = {
  nistp256: { bits: 256, coordinate: 32, jwk: "P-256" },
  nistp384: { bits: 384, coordinate: 48, jwk: "P-384" },
  nistp521: { bits: 521, coordinate: 66, jwk: "P-521" },
} as const;
type Curve = keyof typeof CURVES;

type Base =
  | { kind: "rsa" }
  | { kind: "dss" }
  | { kind: "ecdsa"; curve: Curve }
  | { kind: "ed25519" }
  | { kind: "sk-ecdsa"; curve: Curve }
  | { kind: "sk-ed25519" };

/** Every key type OpenSSH (built without XMSS) reads in an authorized_keys file. */
const PLAIN: Record<string, Base> = {
  "ssh-rsa": { kind: "rsa" },
  "ssh-dss": { kind: "dss" },
  "ecdsa-sha2-nistp256": { kind: "ecdsa", curve: "nistp256" },
  "ecdsa-sha2-nistp384": { kind: "ecdsa", curve: "nistp384" },
  "ecdsa-sha2-nistp521": { kind: "ecdsa", curve: "nistp521" },
  "ssh-ed25519": { kind: "ed25519" },
  "sk-ecdsa-sha2-nistp256@openssh.com": { kind: "sk-ecdsa", curve: "nistp256" },
  "sk-ssh-ed25519@openssh.com": { kind: "sk-ed25519" },
};

/** Each certificate type, and the type of the key it certifies. */
const CERTIFICATES: Record<string, string> = {
  "ssh-rsa-cert-v01@openssh.com": "ssh-rsa",
  "ssh-dss-cert-v01@openssh.com": "ssh-dss",
  "ecdsa-sha2-nistp256-cert-v01@openssh.com": "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384-cert-v01@openssh.com": "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521-cert-v01@openssh.com": "ecdsa-sha2-nistp521",
  "ssh-ed25519-cert-v01@openssh.com": "ssh-ed25519",
  "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com": "sk-ecdsa-sha2-nistp256@openssh.com",
  "sk-ssh-ed25519-cert-v01@openssh.com": "sk-ssh-ed25519@openssh.com",
};

export const SSH_KEY_TYPES: readonly string[] = [
  ...Object.keys(PLAIN),
  ...Object.keys(CERTIFICATES),
];

export function isSshKeyType(name: string): boolean {
  return Object.hasOwn(PLAIN, name) || Object.hasOwn(CERTIFICATES, name);
}

/** OpenSSH refuses RSA moduli under 1024 bits (SSH_RSA_MINIMUM_MODULUS_SIZE) and over 16384. */
const RSA_MIN_BITS = 1024;
const RSA_MAX_BITS = 16384;

export class BlobError extends Error {}

/** Reads SSH wire-format values from a blob, failing with a BlobError past its end. */
class Reader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  get position(): number {
    return this.at;
  }

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  take(count: number, what: string): Buffer {
    if (count > this.remaining) throw new BlobError(`the key data ends before its ${what}`);
    const out = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return out;
  }

  uint32(what: string): number {
    return this.take(4, what).readUInt32BE(0);
  }

  bytesField(what: string): Buffer {
    return this.take(this.uint32(what), what);
  }

  text(what: string): string {
    return this.bytesField(what).toString("latin1");
  }

  /** An mpint's size in bits; a negative one (or one with a needless leading zero) is refused. */
  mpintBits(what: string): number {
    const value = this.bytesField(what);
    if (value.length === 0) return 0;
    if ((value[0] as number) & 0x80) throw new BlobError(`the key's ${what} is negative`);
    if (value[0] === 0 && (value.length === 1 || !((value[1] as number) & 0x80))) {
      throw new BlobError(`the key's ${what} is not in canonical form`);
    }
    let start = 0;
    while (start < value.length && value[start] === 0) start += 1;
    if (start === value.length) return 0;
    return (value.length - start - 1) * 8 + bitLength(value[start] as number);
  }
}

function bitLength(byte: number): number {
  let bits = 0;
  for (let b = byte; b > 0; b >>= 1) bits += 1;
  return bits;
}

export interface BlobInfo {
  /** The key type the blob declares (equal to the line's, checked by the caller). */
  keyType: string;
  /** Bits as ssh-keygen -l prints them (a certificate: its embedded key's). */
  bits: number;
  /** "SHA256:" + unpadded base64 of the SHA-256 of the blob, as ssh-keygen -l prints it. */
  fingerprint: string;
}

/** One SSH wire-format string: its length (uint32, big-endian), then its bytes. */
export function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Parses and checks a key blob; throws a BlobError saying what is wrong. */
export function readKeyBlob(blob: Buffer): BlobInfo {
  const reader = new Reader(blob);
  const keyType = reader.text("key type");
  const plain = PLAIN[keyType];
  const certifiedType = CERTIFICATES[keyType];
  const certified = certifiedType ? PLAIN[certifiedType] : undefined;
  if (!plain && !certified)
    throw new BlobError(`the key data is of an unknown type "${printableName(keyType)}"`);
  if (!certified) {
    const bits = readKeyFields(reader, plain as Base);
    if (reader.remaining !== 0) throw new BlobError("the key data has trailing bytes");
    return { keyType, bits, fingerprint: sshFingerprint(blob) };
  }
  reader.bytesField("certificate nonce");
  const keyStart = reader.position;
  const bits = readKeyFields(reader, certified);
  const keyFields = blob.subarray(keyStart, reader.position);
  readCertificateFields(reader);
  if (reader.remaining !== 0) throw new BlobError("the certificate has trailing bytes");
  // ssh-keygen -l fingerprints a certificate's key, not the certificate: the same key
  // certified twice has one fingerprint.
  const plainType = certifiedType as string;
  const typeField = Buffer.alloc(4 + plainType.length);
  typeField.writeUInt32BE(plainType.length);
  typeField.write(plainType, 4, "latin1");
  return { keyType, bits, fingerprint: sshFingerprint(Buffer.concat([typeField, keyFields])) };
}

function readKeyFields(reader: Reader, base: Base): number {
  switch (base.kind) {
    case "rsa": {
      const exponentBits = reader.mpintBits("RSA exponent");
      const bits = reader.mpintBits("RSA modulus");
      if (exponentBits < 2) throw new BlobError("the RSA exponent is invalid");
      if (bits < RSA_MIN_BITS) {
        throw new BlobError(
          `the RSA key is too small (${bits} bits; OpenSSH requires ${RSA_MIN_BITS})`,
        );
      }
      if (bits > RSA_MAX_BITS) throw new BlobError(`the RSA key is too large (${bits} bits)`);
      return bits;
    }
    case "dss": {
      const bits = reader.mpintBits("DSA p");
      reader.mpintBits("DSA q");
      reader.mpintBits("DSA g");
      reader.mpintBits("DSA y");
      if (bits === 0) throw new BlobError("the DSA key is empty");
      return bits;
    }
    case "ecdsa":
    case "sk-ecdsa": {
      const curve = reader.text("curve name");
      if (curve !== base.curve) {
        throw new BlobError(
          `the key's curve "${printableName(curve)}" does not match its type (${base.curve})`,
        );
      }
      checkPoint(reader.bytesField("public point"), base.curve);
      if (base.kind === "sk-ecdsa") reader.text("security key application");
      return CURVES[base.curve].bits;
    }
    case "ed25519":
    case "sk-ed25519": {
      const key = reader.bytesField("Ed25519 public key");
      if (key.length !== 32)
        throw new BlobError(`the Ed25519 public key is ${key.length} bytes, not 32`);
      if (base.kind === "sk-ed25519") reader.text("security key application");
      return 256;
    }
  }
}

/** An uncompressed point on the named curve, as OpenSSH requires. */
function checkPoint(point: Buffer, curve: Curve): void {
  const { coordinate, jwk } = CURVES[curve];
  if (point.length !== 1 + 2 * coordinate || point[0] !== 0x04) {
    throw new BlobError(`the key's point is not an uncompressed ${curve} point`);
  }
  try {
    createPublicKey({
      key: {
        kty: "EC",
        crv: jwk,
        x: point.subarray(1, 1 + coordinate).toString("base64url"),
        y: point.subarray(1 + coordinate).toString("base64url"),
      },
      format: "jwk",
    });
  } catch {
    throw new BlobError(`the key's point is not on the ${curve} curve`);
  }
}

/** After the embedded key: serial, type, key id, principals, validity, options, CA key, signature. */
function readCertificateFields(reader: Reader): void {
  reader.take(8, "certificate serial");
  const type = reader.uint32("certificate type");
  if (type !== 1 && type !== 2)
    throw new BlobError(`the certificate's type ${type} is neither user nor host`);
  reader.bytesField("certificate key id");
  reader.bytesField("certificate principals");
  reader.take(16, "certificate validity");
  reader.bytesField("certificate critical options");
  reader.bytesField("certificate extensions");
  reader.bytesField("certificate reserved field");
  const caKey = reader.bytesField("certificate signature key");
  reader.bytesField("certificate signature");
  const caType = new Reader(caKey).text("signature key type");
  if (!Object.hasOwn(PLAIN, caType)) {
    throw new BlobError(
      `the certificate's signature key is of an unusable type "${printableName(caType)}"`,
    );
  }
}

/** A name from the blob, shortened and stripped of control characters for a message. */
export function printableName(name: string): string {
  const cleaned = name.replace(/[^\x20-\x7e]/g, "?");
  return cleaned.length > 60 ? `${cleaned.slice(0, 57)}...` : cleaned;
}
