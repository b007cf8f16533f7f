/**
 * @module adapters/cloudflare/cloudflare-json-fetch
 * The fetch the Cloudflare SDK is given: it passes every answer through, except one that is not
 * JSON. The SDK returns a non-JSON body as plain text, so behind a wrong CLOUDFLARE_API_URL (a web
 * page answering 200) lists came back empty and probe() failed with a TypeError. Such an answer
 * becomes a synthetic 502 that carries NOT_JSON_HEADER, which cloudflare-errors reads as a
 * configuration error (throwing here would not do: the SDK reports any fetch failure as a lost
 * connection and retries it).
 */
export const NOT_JSON_HEADER = 'x-threesix-not-json';

export function jsonOnlyFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const type = response.headers.get('content-type') ?? '';
    // 204 and HEAD answers have no body to judge.
    if (response.status === 204 || init?.method === 'HEAD' || /\bjson\b/i.test(type)) return response;
    await response.body?.cancel().catch(() => undefined);
    const what = `${response.status} ${type.split(';')[0] || 'without a content type'}`;
    return new Response(
      JSON.stringify({
        success: false,
        errors: [{ code: 0, message: `answered ${what}, not JSON` }],
        messages: [],
        result: null,
      }),
      {
        status: 502,
        headers: { 'content-type': 'application/json', [NOT_JSON_HEADER]: what },
      },
    );
  };
}
