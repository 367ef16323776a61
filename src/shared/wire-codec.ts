// JSON encoding for the HTTP bridge that keeps typed arrays typed (Electron IPC clones them natively).

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;

function isTypedName(value: unknown): value is TypedName {
  return typeof value === 'string' && Object.hasOwn(TYPED, value);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name;
      if (isTypedName(name)) {
        const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        return { $typed: name, b64: toBase64(bytes) };
      }
    }
    return v;
  });
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && '$typed' in v && 'b64' in v) {
      const { $typed, b64 } = v as { $typed: unknown; b64: unknown };
      if (isTypedName($typed) && typeof b64 === 'string') {
        const bytes = fromBase64(b64);
        const Ctor = TYPED[$typed];
        const copy = bytes.slice().buffer;
        return new Ctor(copy, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
      }
    }
    return v;
  });
}
