export interface Output {
  name: string;
  shape: number[];
  values: number[]; // dequantized
  argmax: number;
}
export interface PublicInput {
  name: string;
  shape?: number[];
  values: number[];
  digest: string; // SHA-256 of its quantized values
}
export interface Commitment {
  name: string;
  kind: "input" | "output";
  commitment: string;
}
export type Visibility = "public" | "private" | "committed";
export interface VerifyResult {
  ok: boolean;
  check?: string; // the failed check, when !ok
  reason?: string; // why, when !ok
  model_id?: string; // whenever the verifying key parses (hex)
  model_digest?: string; // the circuit's digest
  weight_commitment?: string;
  model_name?: string;
  visibility?: { input: Visibility; weights: Visibility; output: Visibility };
  outputs?: Output[]; // when ok: the proven public outputs
  public_inputs?: PublicInput[];
  commitments?: Commitment[];
  bytes_by_kind?: Record<string, number>;
}
type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;
export function verify(vkBytes: Bytes, proofBytes: Bytes): Promise<VerifyResult>;
export function load(): Promise<unknown>;
export default verify;
