import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Shop } from './shop.js';

export const ShopContext = createContext<Shop | null>(null);

export function useShop(): Shop {
  const shop = useContext(ShopContext);
  if (!shop) throw new Error('useShop outside <ShopContext.Provider>');
  return shop;
}
