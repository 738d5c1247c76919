// @jsxRuntime automatic
/** The field kind -> input/display table used by every generated screen. */
import type { ComponentType } from 'react';
import type { FieldKind } from '../api/types.ts';
import * as D from './displays.tsx';
import * as I from './inputs.tsx';

export const INPUTS: Record<FieldKind, ComponentType<I.InputProps>> = {
  string: I.StringInput,
  text: I.TextInput,
  integer: I.IntegerInput,
  decimal: I.DecimalInput,
  money: I.MoneyInput,
  quantity: I.QuantityInput,
  boolean: I.BooleanInput,
  date: I.DateInput,
  datetime: I.DatetimeInput,
  time: I.TimeInput,
  select: I.SelectInput,
  link: I.LinkInput,
  children: I.ChildrenInput,
  multi_link: I.MultiLinkInput,
  json: I.JsonInput,
  attachment: I.AttachmentInput,
  formula: I.FormulaInput,
  sequence: I.SequenceInput,
};

export const DISPLAYS: Record<FieldKind, ComponentType<D.DisplayProps>> = {
  string: D.StringDisplay,
  text: D.TextDisplay,
  integer: D.IntegerDisplay,
  decimal: D.DecimalDisplay,
  money: D.MoneyDisplay,
  quantity: D.QuantityDisplay,
  boolean: D.BooleanDisplay,
  date: D.DateDisplay,
  datetime: D.DatetimeDisplay,
  time: D.TimeDisplay,
  select: D.SelectDisplay,
  link: D.LinkDisplay,
  children: D.ChildrenDisplay,
  multi_link: D.MultiLinkDisplay,
  json: D.JsonDisplay,
  attachment: D.AttachmentDisplay,
  formula: D.FormulaDisplay,
  sequence: D.SequenceDisplay,
};

export function FieldInput(props: I.InputProps) {
  const Input = INPUTS[props.field.kind] ?? I.StringInput;
  return <Input {...props} />;
}

export function FieldDisplay(props: D.DisplayProps) {
  const Display = DISPLAYS[props.field.kind] ?? D.StringDisplay;
  return <Display {...props} />;
}

D.bindDisplayRegistry((p) => <FieldDisplay {...p} />);
