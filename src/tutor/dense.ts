import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

export interface DenseHit {
  index: number;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

/** Approximate nearest neighbours (HNSW, cosine space); labels are chunk positions. */
export class DenseIndex {
  private constructor(
    private readonly hnsw: Hnsw,
    readonly dimensions: number,
  ) {
    hnsw.setEf(Math.max(64, Math.min(200, hnsw.getCurrentCount())));
  }

  static build(vectors: number[][]): DenseIndex {
    const dimensions = vectors[0]?.length ?? 0;
    if (dimensions === 0) throw new Error('cannot build a dense index without vectors');
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex({ maxElements: vectors.length, m: 16, efConstruction: 200, randomSeed: 100 });
    vectors.forEach((vector, label) => {
      if (vector.length !== dimensions) throw new Error(`vector ${label} has ${vector.length} dimensions, expected ${dimensions}`);
      hnsw.addPoint(vector, label);
    });
    return new DenseIndex(hnsw, dimensions);
  }

  static load(file: string, dimensions: number): DenseIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.readIndexSync(file);
    return new DenseIndex(hnsw, dimensions);
  }

  save(file: string): void {
    this.hnsw.writeIndexSync(file);
  }

  get size(): number {
    return this.hnsw.getCurrentCount();
  }

  /** The stored (normalized) vector of a chunk, reused when its file has not changed. */
  vector(index: number): number[] {
    return this.hnsw.getPoint(index);
  }

  search(vector: number[], k: number): DenseHit[] {
    if (vector.length !== this.dimensions) throw new Error(`query vector has ${vector.length} dimensions, the index ${this.dimensions}`);
    const count = Math.min(k, this.size);
    if (count === 0) return [];
    const { neighbors, distances } = this.hnsw.searchKnn(vector, count);
    return neighbors.map((index, i) => ({ index, similarity: 1 - distances[i]! }));
  }
}
