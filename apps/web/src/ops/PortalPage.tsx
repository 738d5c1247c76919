// @jsxRuntime automatic
/**
 * The VMI supplier portal on a phone or a desk: for each agreement of the supplier, our stock of its
 * item, what is on the way, 30-day consumption, a 14-day forecast, days of cover and the suggested
 * quantity; one button turns the suggestions into a replenishment ASN. A portal user sees only its own
 * supplier's items (the server decides); staff who manage agreements pick the supplier.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { useNav } from '../shell/navigation-context.ts';
import { proposeReplenishment, useTitles, type VmiPosition, vmiPositions } from './api.ts';
import './i18n.ts';
import { plainQuantity } from './scan-codes.ts';

export default function PortalPage() {
  const { t } = useTranslation('ops');
  const nav = useNav();
  const client = useQueryClient();
  // Staff (who may change agreements) choose a supplier; a portal user is its own supplier.
  const staff = nav?.entities.find((e) => e.name === 'vmi_agreement')?.can.update ?? false;
  const suppliers = useTitles('supplier', 'code', staff);
  const [supplier, setSupplier] = useState<string | null>(null);
  const asked = staff ? supplier : null;
  const positions = useQuery({
    queryKey: ['ops', 'vmi', asked],
    queryFn: () => vmiPositions(asked),
    enabled: !staff || !!supplier,
  });
  const [result, setResult] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const propose = async () => {
    setBusy(true);
    try {
      const asn = await proposeReplenishment(asked);
      setResult({ type: 'success', text: t('portal.proposed', { number: String(asn.number ?? asn.id) }) });
      await client.invalidateQueries({ queryKey: ['ops', 'vmi'] });
    } catch (err) {
      setResult({ type: 'error', text: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };
  const rows = positions.data ?? [];
  const toSend = rows.filter((p) => p.suggested !== '0');
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 960 }}>
      <Typography.Title level={4}>{t('portal.title')}</Typography.Title>
      {staff ? (
        <Select
          aria-label={t('portal.supplier')}
          placeholder={t('portal.supplier')}
          style={{ width: '100%', maxWidth: 360 }}
          showSearch={{ optionFilterProp: 'label' }}
          value={supplier ?? undefined}
          onChange={(v: string) => setSupplier(v)}
          options={[...suppliers].map(([value, label]) => ({ value, label }))}
        />
      ) : null}
      {positions.isError ? (
        <Alert type="error" showIcon message={(positions.error as Error).message} />
      ) : null}
      {result ? <Alert type={result.type} showIcon message={result.text} /> : null}
      <Row gutter={[12, 12]}>
        {rows.map((p) => (
          <Col key={p.agreement} xs={24} md={12}>
            <PositionCard position={p} />
          </Col>
        ))}
      </Row>
      {positions.isSuccess && rows.length === 0 ? (
        <Typography.Text>{t('common.none')}</Typography.Text>
      ) : null}
      {rows.length > 0 ? (
        <Button
          type="primary"
          block
          disabled={toSend.length === 0 || busy}
          loading={busy}
          onClick={() => void propose()}
        >
          {toSend.length === 0 ? t('portal.nothing') : t('portal.propose', { count: toSend.length })}
        </Button>
      ) : null}
    </Space>
  );
}

function PositionCard({ position: p }: { position: VmiPosition }) {
  const { t } = useTranslation('ops');
  const q = (v: string) => plainQuantity(v);
  return (
    <Card
      size="small"
      className="tenon-vmi-position"
      title={`${p.itemCode} ${p.itemName}`}
      extra={
        <Space size={4}>
          {p.consignment ? <Tag color="purple">{t('portal.consignment')}</Tag> : null}
          {p.suggested !== '0' ? (
            <Tag color="orange">{t('portal.suggested', { qty: q(p.suggested) })}</Tag>
          ) : null}
        </Space>
      }
    >
      <Row gutter={[8, 8]}>
        <Col span={8}>
          <Statistic valueStyle={{ fontSize: 18 }} title={t('portal.onHand')} value={q(p.onHand)} />
        </Col>
        <Col span={8}>
          <Statistic valueStyle={{ fontSize: 18 }} title={t('portal.incoming')} value={q(p.incoming)} />
        </Col>
        <Col span={8}>
          <Statistic
            valueStyle={{ fontSize: 18 }}
            title={t('portal.minMax')}
            value={`${q(p.min)} / ${q(p.max)}`}
          />
        </Col>
        <Col span={8}>
          <Statistic valueStyle={{ fontSize: 18 }} title={t('portal.consumed')} value={q(p.consumed30d)} />
        </Col>
        <Col span={8}>
          <Statistic valueStyle={{ fontSize: 18 }} title={t('portal.forecast')} value={q(p.forecast14d)} />
        </Col>
        <Col span={8}>
          <Statistic valueStyle={{ fontSize: 18 }} title={t('portal.cover')} value={p.daysOfCover ?? '∞'} />
        </Col>
      </Row>
    </Card>
  );
}
