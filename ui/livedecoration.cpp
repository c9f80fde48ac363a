#include "livedecoration.h"

#include "live/liveclustermodel.h"

#include <QColor>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace Tribune {

namespace {

QIcon dot(const QColor &colour)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(colour.darker(130));
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return QIcon(pixmap);
}

} // namespace

LiveDecoration::LiveDecoration(QObject *parent)
    : QIdentityProxyModel(parent)
{
}

QColor LiveDecoration::colour(Tone tone)
{
    switch (tone) {
    case Tone::Good: return QColor(0x2e, 0x9d, 0x4a);
    case Tone::Warning: return QColor(0xe0, 0x9b, 0x15);
    case Tone::Bad: return QColor(0xc9, 0x2a, 0x2a);
    case Tone::Gone: return QColor(0x9a, 0x9a, 0x9a);
    }
    return Qt::black;
}

LiveDecoration::Tone LiveDecoration::toneOf(const QModelIndex &index) const
{
    return Tone(mapToSource(index).data(LiveClusterModel::ToneRole).toInt());
}

QVariant LiveDecoration::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DecorationRole && index.column() == LiveClusterModel::NameColumn) {
        static const QIcon icons[] = {dot(colour(Tone::Good)), dot(colour(Tone::Warning)), dot(colour(Tone::Bad)),
                                      dot(colour(Tone::Gone))};
        return icons[int(toneOf(index))];
    }
    if (role == Qt::ForegroundRole
        && (index.column() == LiveClusterModel::StateColumn || index.column() == LiveClusterModel::BalancerColumn)) {
        const Tone tone = toneOf(index);
        if (tone != Tone::Good)
            return colour(tone);
    }
    return QIdentityProxyModel::data(index, role);
}

} // namespace Tribune
