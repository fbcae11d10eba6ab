import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type ChainKey, hmacChainKey } from '../settlement/index.ts';

/** The label the audit key is derived under (a new label would be a new key: never change it). */
const DERIVATION_LABEL = 'settleops-audit-chain-key-v1';

/**
 * The audit `ChainKey` on AWS: an HMAC key derived once per process from a KMS HMAC key
 * (`GenerateMac` of a fixed label with HMAC_SHA_256), then used in memory. Every process holding
 * `kms:GenerateMac` on that key derives the same 32 bytes, so records signed by the bot, the worker
 * and the agent runtime verify alike; the key is never stored, and whoever can only write the table
 * (without that permission) cannot derive it. One KMS call per process start, none per record.
 */
export async function kmsChainKey(client: KMSClient, keyId: string): Promise<ChainKey> {
  const out = await client.send(
    new GenerateMacCommand({
      KeyId: keyId,
      MacAlgorithm: 'HMAC_SHA_256',
      Message: new TextEncoder().encode(DERIVATION_LABEL),
    }),
  );
  if (out.Mac === undefined || out.Mac.length < 32)
    throw new Error(`KMS key ${keyId} returned no usable MAC for the audit key derivation`);
  return hmacChainKey(out.Mac, `kms:${out.KeyId ?? keyId}`);
}
