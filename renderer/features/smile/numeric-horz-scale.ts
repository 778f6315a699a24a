import type {
  ChartOptionsImpl,
  DataItem,
  HorzScaleItemConverterToInternalObj,
  IHorzScaleBehavior,
  InternalHorzScaleItem,
  InternalHorzScaleItemKey,
  LocalizationOptions,
  Mutable,
  TickMark,
  TickMarkWeightValue,
  TimeMark,
  TimeScalePoint,
} from 'lightweight-charts';

/**
 * A horizontal scale of plain numbers (strikes, expiry ordinals) with our own labels and label
 * weights. Like every lightweight-charts scale it places points evenly by index; the smile fills
 * the gaps with empty points so distances are true to strike (smile-data.ts: linearStrikeGrid).
 */
export class NumericHorzScale implements IHorzScaleBehavior<number> {
  #options: ChartOptionsImpl<number> | undefined;
  readonly #format: (value: number) => string;
  readonly #formatTick: (value: number) => string;
  readonly #weight: (value: number) => number;

  constructor(format: (value: number) => string, weight: (value: number) => number, formatTick: (value: number) => string = format) {
    this.#format = format;
    this.#formatTick = formatTick;
    this.#weight = weight;
  }

  options(): ChartOptionsImpl<number> {
    return this.#options!;
  }

  setOptions(options: ChartOptionsImpl<number>): void {
    this.#options = options;
  }

  preprocessData(_data: DataItem<number> | DataItem<number>[]): void {}

  updateFormatter(_options: LocalizationOptions<number>): void {}

  createConverterToInternalObj(): HorzScaleItemConverterToInternalObj<number> {
    return (value: number) => value as unknown as InternalHorzScaleItem;
  }

  key(item: InternalHorzScaleItem | number): InternalHorzScaleItemKey {
    return item as unknown as InternalHorzScaleItemKey;
  }

  cacheKey(item: InternalHorzScaleItem): number {
    return item as unknown as number;
  }

  convertHorzItemToInternal(item: number): InternalHorzScaleItem {
    return item as unknown as InternalHorzScaleItem;
  }

  formatHorzItem(item: InternalHorzScaleItem): string {
    return this.#format(item as unknown as number);
  }

  formatTickmark(mark: TickMark): string {
    return this.#formatTick(mark.time as unknown as number);
  }

  maxTickMarkWeight(marks: TimeMark[]): TickMarkWeightValue {
    let max = marks[0]?.weight ?? (0 as TickMarkWeightValue);
    for (const mark of marks) if (mark.weight > max) max = mark.weight;
    return max;
  }

  fillWeightsForPoints(points: readonly Mutable<TimeScalePoint>[], startIndex: number): void {
    for (let i = startIndex; i < points.length; i++) {
      const point = points[i]!;
      point.timeWeight = this.#weight(point.time as unknown as number) as TickMarkWeightValue;
    }
  }
}
