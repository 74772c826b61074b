import { rotate, type Scenario } from './types.js';

interface CategoryNode {
  handle: string;
  children: CategoryNode[];
}

const leaves = (nodes: CategoryNode[]): string[] =>
  nodes.flatMap((node) => (node.children.length ? leaves(node.children) : [node.handle]));

export const categoryList: Scenario = {
  name: 'category-list',
  description: 'GET /store/v1/products?category={handle}&limit=20: first page of each leaf category in turn',
  async prepare(target) {
    const tree = await target.store<{ data: CategoryNode[] }>('/store/v1/categories');
    const handles = leaves(tree.data);
    return { requests: rotate(handles.map((handle) => `/store/v1/products?category=${handle}&limit=20`)) };
  },
};
