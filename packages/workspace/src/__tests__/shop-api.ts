/**
 * The mock shop API behind fixtures/shop.yaml: orders by day (from/to inclusive), customers in
 * one page, a fixed API key. Tests add orders and slow days down to stage their scenarios.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MockApi, type MockRequest, startMockApi } from '@manifold/testkit';

export const SHOP_MANIFEST = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'shop.yaml');
export const API_KEY = 'shop-secret-5d1e9a7c3b';

export interface Order {
  id: number;
  amount: number;
  updated_at: string;
}

export interface ShopApi {
  api: MockApi;
  orders: Order[];
  customers: Array<{ id: number; name: string }>;
  /** Milliseconds each /orders response waits (for the kill test). */
  delayMs: number;
  /** When set, /customers answers with this status (400: a failure the source does not retry). */
  customersStatus: number | undefined;
  close(): Promise<void>;
}

export async function startShopApi(): Promise<ShopApi> {
  const shop: Omit<ShopApi, 'api' | 'close'> = {
    orders: [
      { id: 1, amount: 10, updated_at: '2024-01-01' },
      { id: 2, amount: 20, updated_at: '2024-01-01' },
      { id: 3, amount: 30, updated_at: '2024-01-02' },
      { id: 4, amount: 40, updated_at: '2024-01-03' },
    ],
    customers: [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Grace' },
    ],
    delayMs: 0,
    customersStatus: undefined,
  };
  const authorized = (req: MockRequest) => req.headers['x-api-key'] === API_KEY;
  const api = await startMockApi([
    {
      method: 'GET',
      path: '/orders',
      handler: (req) => {
        if (!authorized(req)) return { status: 401, body: { error: 'bad key' } };
        const from = String(req.query.from);
        const to = String(req.query.to);
        const data = shop.orders.filter((order) => order.updated_at >= from && order.updated_at <= to);
        return { body: { data }, delayMs: shop.delayMs };
      },
    },
    {
      method: 'GET',
      path: '/customers',
      handler: (req) => {
        if (!authorized(req)) return { status: 401, body: { error: 'bad key' } };
        if (shop.customersStatus) return { status: shop.customersStatus, body: { error: `customers failed for key ${API_KEY}` } };
        return { body: { data: shop.customers } };
      },
    },
  ]);
  return Object.assign(shop, { api, close: () => api.close() });
}

export function shopConfig(api: MockApi, endDate = '2024-01-05'): Record<string, unknown> {
  return { api_key: API_KEY, base_url: api.url, start_date: '2024-01-01', end_date: endDate };
}
